import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { logContext, logger } from "~/utils/logger.server";
import { metrics, provideMetricSources } from "~/utils/metrics.server";
import { PrismaClient } from "./generated/client";

/**
 * How a process waits for a connection: `max` connections, a request waits at most `connectTimeoutMs` for one,
 * and at most `maxWaiting` requests wait at a time (beyond that the database counts as unavailable: 503).
 * `namedStatements`: `poolQuery` (under `queryRows` and the session read) prepares each statement once per connection
 * (decision 27).
 */
export type PoolOptions = { poolMax: number; connectTimeoutMs: number; maxWaiting: number; namedStatements: boolean };

/**
 * How long a request waits for a free connection. In a closing rush the pool (10 per process: two cores, the database
 * on the same machine) is the queue in front of the database; a request waits its turn rather than failing after a
 * few seconds, up to the time a buyer would still wait for the page. The waiting count is in /metrics.
 */
export const POOL_WAIT_MS = 30_000;

/** A PostgreSQL server: a request waits its turn for a connection; only an unbounded queue counts as trouble. */
export const SERVER_POOL: PoolOptions = { poolMax: 10, connectTimeoutMs: POOL_WAIT_MS, maxWaiting: 1_000, namedStatements: true };

type DbState = PoolOptions & { url: string; pool?: pg.Pool; client?: PrismaClient };

// The server entry and the Remix server build are separate module graphs; globalThis is what they share.
const globalState = globalThis as unknown as { __anshangDb?: DbState };

/** Queries slower than this are logged with the route or job that ran them. */
export const SLOW_QUERY_MS = 100;

/** Chooses the database for this process (the embedded one passes EMBEDDED_POOL: one connection, a long queue). */
export function configureDatabase(url: string, options: Partial<PoolOptions> = {}) {
  globalState.__anshangDb = { url, ...SERVER_POOL, ...options };
}

/** The queue for a connection is full: the request is answered 503 rather than held without bound. */
export class DatabaseBusyError extends Error {
  constructor(waiting: number) {
    super(`${waiting} requests are already waiting for a database connection`);
    this.name = "DatabaseBusyError";
  }
}

/**
 * A pg pool whose queue of requests waiting for a connection is bounded: pg-pool itself queues without limit, and
 * its only other bound, the connect timeout, would drop requests that merely wait their turn on a busy machine.
 */
export function createPool(url: string, { poolMax, connectTimeoutMs, maxWaiting }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: connectTimeoutMs });
  const connect = pool.connect.bind(pool) as (callback?: (error: Error | undefined, ...rest: unknown[]) => void) => unknown;
  (pool as { connect: unknown }).connect = (callback?: (error: Error | undefined, ...rest: unknown[]) => void) => {
    if (pool.waitingCount >= maxWaiting && pool.idleCount === 0) {
      const error = new DatabaseBusyError(pool.waitingCount);
      if (callback) return void process.nextTick(() => callback(error));
      return Promise.reject(error);
    }
    return connect(callback);
  };
  return pool;
}

function state(): DbState {
  if (!globalState.__anshangDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("The database is not configured: call configureDatabase() or set DATABASE_URL.");
    configureDatabase(url);
  }
  return globalState.__anshangDb!;
}

/**
 * The process's connection pool, shared by Prisma and (on the embedded database) the job queue, so that every
 * statement to PGlite goes through its one connection.
 */
export function databasePool(): pg.Pool {
  const current = state();
  if (!current.pool) {
    current.pool = createPool(current.url, current);
    // An idle connection the server dropped (a restart, an outage) must not take the process down with it.
    current.pool.on("error", (error) => logger().warn({ err: error }, "idle database connection lost"));
    const pool = current.pool;
    provideMetricSources({ poolWaiting: () => pool.waitingCount, poolTotal: () => pool.totalCount });
  }
  return current.pool;
}

/**
 * Logs every database operation slower than SLOW_QUERY_MS with the route (or job) and request that ran it. Timed
 * around the call in the caller's own async context: Prisma's query events, and the driver's callbacks, run outside
 * it and could not name the route.
 */
function timingOperations(prisma: PrismaClient): PrismaClient {
  return prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const started = performance.now();
        try {
          return await query(args);
        } finally {
          const ms = performance.now() - started;
          if (ms >= SLOW_QUERY_MS) noteSlow(ms, model ? `${model}.${operation}` : operation, args);
        }
      },
    },
  }) as unknown as PrismaClient;
}

/**
 * The rows of one statement run straight on the pool, timed like Prisma's operations. For the reads of the pages a
 * closing rush loads: a Prisma query costs this process ~80-230 µs of CPU beyond the ~20 µs of the statement itself
 * (docs/decisions/0021-page-reads-on-the-pool.md). Timestamps are read `AT TIME ZONE 'UTC'` (the columns hold UTC
 * without a zone) and instants passed as ISO text cast to timestamptz, so the process's time zone never matters.
 */
export async function queryRows<T>(operation: string, sql: string, params: unknown[]): Promise<T[]> {
  const started = performance.now();
  try {
    return (await poolQuery<T & pg.QueryResultRow>(sql, params)).rows;
  } finally {
    const ms = performance.now() - started;
    if (ms >= SLOW_QUERY_MS) noteSlow(ms, operation, [sql]);
  }
}

const statementHashes = new Map<string, string>();
// On globalThis, as the pool is: the server entry's copy of this module and the Remix build's share its connections,
// and must give each the same number.
const connectionNumbers = ((
  globalThis as { __anshangConnectionNumbers?: { of: WeakMap<pg.PoolClient, number>; seen: number } }
).__anshangConnectionNumbers ??= { of: new WeakMap(), seen: 0 });

/**
 * Runs one statement on a connection of the pool. On PostgreSQL under a name made from the connection and the
 * statement's text, so that each connection parses and plans it once and then only binds and runs it: planning the
 * page reads cost the database more than running them (the session read: ~0.3 ms to plan, ~0.1 ms to run; decision
 * 27). The name is the connection's as well as the text's because a server may keep one session for many
 * connections (a PGlite socket server does): there a new connection must not meet a name an earlier one prepared.
 * Not on the embedded database, whose one backend every client shares (decision 12).
 */
export async function poolQuery<T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<pg.QueryResult<T>> {
  if (!state().namedStatements) return databasePool().query<T>(sql, values);
  const connection = await databasePool().connect();
  try {
    const result = await connection.query<T>({ name: statementName(connection, sql), text: sql, values });
    connection.release();
    return result;
  } catch (error) {
    // As pg-pool's own query() does: a connection that failed a statement is closed rather than handed on.
    connection.release(error instanceof Error ? error : true);
    throw error;
  }
}

export function statementName(connection: pg.PoolClient, sql: string) {
  let id = connectionNumbers.of.get(connection);
  if (id === undefined) connectionNumbers.of.set(connection, (id = ++connectionNumbers.seen));
  let hash = statementHashes.get(sql);
  if (hash === undefined) statementHashes.set(sql, (hash = createHash("sha256").update(sql).digest("hex").slice(0, 16)));
  return `anshang_${id}_${hash}`;
}

function noteSlow(ms: number, operation: string, args: unknown) {
  const context = logContext();
  metrics().slowQueries.inc({ route: context?.route ?? context?.job ?? "none" });
  // A raw query's first argument is its SQL (a tagged template's strings, or the text).
  const first = Array.isArray(args) ? args[0] : undefined;
  const sql = Array.isArray(first) ? first.join("?") : typeof first === "string" ? first : undefined;
  logger().warn({ ms: Math.round(ms), operation, ...(sql ? { query: sql.slice(0, 500) } : {}) }, "slow query");
}

function client(): PrismaClient {
  const current = state();
  if (!current.client) {
    current.client = timingOperations(new PrismaClient({ adapter: new PrismaPg(databasePool()) }));
  }
  return current.client;
}

/** The Prisma client. Resolved on first use so that start-up can pick the database first. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const target = client();
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

export async function disconnectDatabase() {
  const current = globalState.__anshangDb;
  if (current?.client) await current.client.$disconnect();
  if (current?.pool) await current.pool.end();
  if (current) {
    current.client = undefined;
    current.pool = undefined;
  }
}

export async function isDatabaseUp(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

export type { PrismaClient };
export { Prisma } from "./generated/client";
