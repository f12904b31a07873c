// With no DATABASE_URL the shop runs on PGlite (PostgreSQL compiled to WebAssembly) inside this process,
// exposed on a loopback socket so that the app, the migrations and psql all speak the ordinary wire protocol
// through the same pg driver adapter as on a real server. See docs/decisions/0002-embedded-pglite.md.
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { PoolOptions } from "./client.server";

export type EmbeddedDatabase = {
  url: string;
  db: PGlite;
  stop: () => Promise<void>;
};

/**
 * How many connections the app may open to the embedded database: one. The socket server queues each protocol
 * message on its own, so two connections' extended-protocol messages (Parse, Bind, Execute) can interleave in
 * PGlite's single session and bind one query's parameters to another's statement. PGlite runs one query at a
 * time anyway, so one connection costs nothing in throughput.
 *
 * So every request waits its turn for that one connection, in a bounded queue: up to a minute (pg-pool's usual
 * few seconds dropped checkouts that were only waiting on a busy machine), up to 1,000 requests at once; only
 * beyond that is the database answered as unavailable (503).
 */
export const EMBEDDED_POOL: PoolOptions = { poolMax: 1, connectTimeoutMs: 60_000, maxWaiting: 1_000 };

/** Starts PGlite (on disk at `dataDir`, or from a dump in memory) and a socket server on a free loopback port. */
export async function startEmbeddedDatabase(source: { dataDir: string } | { loadDataDir: Blob }): Promise<EmbeddedDatabase> {
  let db: PGlite;
  if ("dataDir" in source) {
    await mkdir(source.dataDir, { recursive: true });
    db = await PGlite.create({ dataDir: source.dataDir });
  } else {
    db = await PGlite.create({ loadDataDir: source.loadDataDir });
  }
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 32 });
  await server.start();
  const url = `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    db,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
