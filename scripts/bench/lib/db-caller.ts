// Database work without HTTP, in a process of its own (started by db-callers.ts):
//   placeOrders  the app's placeOrder for each buyer's cart, `concurrency` at a time, through the app's own Prisma
//                client and pool (DATABASE_URL, pool of `pool` connections) — the checkout minus HTTP and Remix
//   hotRow       the ceiling: `concurrency` clients taking one from a single row until `updates` were taken
//   commitCost   how long COMMIT of a one-row update takes here (the WAL flush every winner waits for under its locks)
import { randomUUID } from "node:crypto";
import pg from "pg";
import { serveJobs } from "./child";
import { percentile } from "./stats";

export type PlaceOrdersJob = { kind: "placeOrders"; userIds: string[]; groupOrderId: string; concurrency: number };
export type HotRowJob = { kind: "hotRow"; updates: number; attempts: number; concurrency: number };
export type CommitCostJob = { kind: "commitCost"; count: number };
export type DbJob = PlaceOrdersJob | HotRowJob | CommitCostJob;

export type RaceResult = {
  won: number;
  refused: number;
  other: number;
  otherSamples: string[];
  orderNumbers: string[];
  /** Winners per second, from the start to the last winner's answer. */
  perSecond: number;
  elapsedMs: number;
  callerCpuMs: number;
};

const POOL = Number(process.env.BENCH_POOL ?? 10);

/** Runs `work(i)` for i in 0..count-1, `concurrency` at a time, and times each winner's answer. */
async function race(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<{ won: boolean; refused?: boolean; note?: string; number?: string }>,
) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let lastWin = started;
  let next = 0;
  const result = { won: 0, refused: 0, other: 0, otherSamples: [] as string[], orderNumbers: [] as string[] };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        try {
          const answer = await work(i);
          if (answer.won) {
            result.won++;
            lastWin = Math.max(lastWin, performance.now());
            if (answer.number) result.orderNumbers.push(answer.number);
          } else if (answer.refused) result.refused++;
          else {
            result.other++;
            if (result.otherSamples.length < 3) result.otherSamples.push(answer.note ?? "?");
          }
        } catch (error) {
          result.other++;
          if (result.otherSamples.length < 3) result.otherSamples.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    ...result,
    perSecond: result.won / ((lastWin - started) / 1000),
    elapsedMs: performance.now() - started,
    callerCpuMs: (used.user + used.system) / 1000,
  } satisfies RaceResult;
}

async function placeOrders(job: PlaceOrdersJob): Promise<RaceResult> {
  const { configureDatabase } = await import("~/db/client.server");
  const { placeOrder } = await import("~/domain/shop/checkout.server");
  const { isDomainError } = await import("~/domain/errors");
  configureDatabase(process.env.DATABASE_URL!, { poolMax: POOL });
  return race(job.userIds.length, job.concurrency, async (i) => {
    try {
      const result = await placeOrder({
        userId: job.userIds[i]!,
        idempotencyKey: randomUUID(),
        lines: "cart",
        fulfilment: { kind: "group_pickup", groupOrderId: job.groupOrderId },
        paymentMethod: "unit_settlement",
        cardPaymentConfigured: false,
        paymentTtlMinutes: 30,
      });
      return { won: true, number: result.order.number };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const soldOut = error.refusals.every((refusal) => refusal.code === "checkout.problems.sold_out");
      return { won: false, refused: soldOut, note: JSON.stringify(error.refusals) };
    }
  });
}

let pool: pg.Pool | undefined;
const sqlPool = () => (pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: POOL }));

async function hotRow(job: HotRowJob): Promise<RaceResult> {
  const db = sqlPool();
  await db.query("CREATE TABLE IF NOT EXISTS bench_hot_row (id int PRIMARY KEY, n int NOT NULL)");
  await db.query("INSERT INTO bench_hot_row VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n", [job.updates]);
  // Every connection opened before the clock starts, as the app's pool is by the time a rush comes.
  await Promise.all(Array.from({ length: POOL }, () => db.query("SELECT 1")));
  return race(job.attempts, job.concurrency, async () => {
    const result = await db.query("UPDATE bench_hot_row SET n = n - 1 WHERE id = 1 AND n > 0");
    return { won: result.rowCount === 1, refused: result.rowCount === 0 };
  });
}

async function commitCost(job: CommitCostJob) {
  const client = await sqlPool().connect();
  try {
    await client.query("CREATE TABLE IF NOT EXISTS bench_commit (id int PRIMARY KEY, n int NOT NULL)");
    await client.query("INSERT INTO bench_commit VALUES (1, 0) ON CONFLICT DO NOTHING");
    const times: number[] = [];
    for (let i = 0; i < job.count; i++) {
      await client.query("BEGIN");
      await client.query("UPDATE bench_commit SET n = n + 1 WHERE id = 1");
      const t0 = performance.now();
      await client.query("COMMIT");
      times.push(performance.now() - t0);
    }
    return { p50: percentile(times, 50), p90: percentile(times, 90), p99: percentile(times, 99) };
  } finally {
    client.release();
  }
}

serveJobs<DbJob>((job) => {
  if (job.kind === "placeOrders") return placeOrders(job);
  if (job.kind === "hotRow") return hotRow(job);
  return commitCost(job);
});
