// The database a benchmark runs on: a fresh PostgreSQL database (BENCH_DATABASE_URL names the server, default the
// local one), or the embedded PGlite in a data folder, reached through a socket by a helper process while the shop
// is stopped (the shop holds it inside its own process while it runs).
import path from "node:path";
import pg from "pg";
import { startChild } from "./child";
import { cpuMsByPid } from "./proc";

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export type Sql = pg.Client;

export async function withSql<T>(url: string, use: (sql: Sql) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the benchmark server; `drop` removes it. */
export async function createBenchDatabase(label: string) {
  const name = `anshang_bench_${label}_${process.pid}`;
  await withSql(ADMIN_URL, (sql) => sql.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  await withSql(ADMIN_URL, (sql) => sql.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withSql(ADMIN_URL, (sql) => sql.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * Runs `use` on the shop's embedded database in `dataDir` (where server.ts keeps it, `<DATA_DIR>/pglite`), opened by
 * a helper process. Only while the shop is stopped: PGlite is one process's database.
 */
export async function withEmbeddedSql<T>(dataDir: string, use: (sql: Sql) => Promise<T>): Promise<T> {
  const host = await startChild<{ dataDir: string }, string>(path.join(import.meta.dirname, "embedded-host.ts"));
  try {
    const url = await host.call({ dataDir: path.join(dataDir, "pglite") });
    return await withSql(url, use);
  } finally {
    await host.stop();
  }
}

/**
 * CPU of the PostgreSQL backends serving the benchmark database (read from /proc: the server runs on this
 * machine). Not the WAL writer, checkpointer or other databases' backends, which other work on the machine shares.
 */
export async function watchBackends(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const snapshot = async () => {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return cpuMsByPid(rows.map((r) => r.pid));
  };
  return {
    snapshot,
    /** CPU ms used between two snapshots; a backend that started in between counts from zero. */
    used: (before: Map<number, number>, after: Map<number, number>) => {
      let total = 0;
      for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
      return total;
    },
    /** Bytes of WAL written so far by the whole server (every database on it), to subtract one reading from another. */
    walBytes: async () =>
      (await client.query<{ bytes: number }>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS bytes")).rows[0]!.bytes,
    stop: () => client.end(),
  };
}

export type BackendWatch = Awaited<ReturnType<typeof watchBackends>>;
