// With no DATABASE_URL the shop runs on PGlite (PostgreSQL compiled to WebAssembly) inside this process,
// exposed on a loopback socket so that the app, the migrations and psql all speak the ordinary wire protocol
// through the same pg driver adapter as on a real server. See docs/decisions/0002-embedded-pglite.md.
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import type { PoolOptions } from "./client.server";

export type EmbeddedDatabase = {
  url: string;
  db: PGlite;
  /** Whether the data folder was new and filled from the template. */
  fromTemplate: boolean;
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
export const EMBEDDED_POOL: PoolOptions = { poolMax: 1, connectTimeoutMs: 60_000, maxWaiting: 1_000, namedStatements: false };

export class DataDirInUseError extends Error {}

/** The embedded database's folder inside the data folder. */
export function embeddedDataDir(config: { dataDir: string }) {
  return path.join(config.dataDir, "pglite");
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the embedded database's folder for this process: a lock file beside it holds the PID. PGlite cannot share
 * its files, and a reset under a running server left it crashing later with a bare `Aborted()` (issue 17), so a
 * second process (db:reset, db:seed, another server) is refused with a message naming the holder. A lock left by
 * a process that no longer runs is taken over. Returns the release.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir}.lock`;
  await mkdir(path.dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      await writeFile(lockFile, `${process.pid}\n`, { flag: "wx" });
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number((await readFile(lockFile, "utf8").catch(() => "")).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
      throw new DataDirInUseError(
        `The embedded database in ${dataDir} is in use by process ${holder} (a running shop server?). ` +
          `Stop that process first, then run this again. (Lock file: ${lockFile})`,
      );
    }
    await rm(lockFile, { force: true });
  }
}

/**
 * Starts PGlite (on disk at `dataDir`, or from a dump in memory) and a socket server on a free loopback port. A
 * `dataDir` that holds no database yet is filled from `template` when one is given.
 */
export async function startEmbeddedDatabase(
  source: { dataDir: string; template?: () => Promise<Blob | undefined> } | { loadDataDir: Blob },
): Promise<EmbeddedDatabase> {
  let db: PGlite;
  let unlock = async () => {};
  let fromTemplate = false;
  if ("dataDir" in source) {
    const { dataDir } = source;
    unlock = await lockDataDir(dataDir);
    try {
      await mkdir(dataDir, { recursive: true });
      const loadDataDir = existsSync(path.join(dataDir, "PG_VERSION")) ? undefined : await source.template?.();
      db = await PGlite.create({ dataDir, loadDataDir });
      fromTemplate = loadDataDir !== undefined;
    } catch (error) {
      await unlock();
      throw error;
    }
  } else {
    db = await PGlite.create({ loadDataDir: source.loadDataDir });
  }
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 32 });
  await server.start();
  const url = `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    db,
    fromTemplate,
    stop: async () => {
      await server.stop();
      await db.close();
      await unlock();
    },
  };
}
