// The job queue: pg-boss on the shop's own database (docs/decisions/0011-jobs-and-processes.md). Every app process
// may work jobs and pg-boss hands each job to one of them (SKIP LOCKED); a job that throws is retried with backoff and,
// once its retries are spent, stays failed for the admin to see and retry (/admin/jobs). On the embedded database
// pg-boss speaks through the app's one connection (see databasePool), never a second one.
import { PgBoss, fromPrisma, type JobWithMetadata } from "pg-boss";
import { config } from "~/config.server";
import { databasePool, type Prisma } from "~/db/client.server";
import { logContext, logger, withLogContext } from "~/utils/logger.server";
import { SHOP_TIME_ZONE } from "~/utils/dates";
import { metrics, provideMetricSources } from "~/utils/metrics.server";
import { JOBS, type JobData, type JobName, type JobRun } from "./jobs.server";

export const JOB_SCHEMA = "pgboss";

type Shared = { boss?: Promise<PgBoss>; working?: boolean };
const shared = ((globalThis as { __anshangJobs?: Shared }).__anshangJobs ??= {});

/** pg-boss over the app's own pool: statements on the embedded database never land between another client's. */
function throughAppPool() {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const client = await databasePool().connect();
      try {
        const result = (await client.query(text, values as unknown[] | undefined)) as unknown;
        // A multi-statement block (no parameters) answers one result per statement.
        const rows = Array.isArray(result)
          ? result.flatMap((r: { rows?: unknown[] }) => r.rows ?? [])
          : (result as { rows: unknown[] }).rows;
        return { rows };
      } catch (error) {
        // A block that failed half-way leaves its transaction open on the shared connection.
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** 4 retries, the delay doubling from `delay` seconds up to 15 minutes; a zero delay (tests) retries at once. */
export function retryPolicy(delay = config().jobRetryDelaySeconds) {
  return delay > 0
    ? { retryLimit: 4, retryDelay: delay, retryBackoff: true, retryDelayMax: 15 * 60 }
    : { retryLimit: 4, retryDelay: 0, retryBackoff: false };
}

async function createBoss(options: { work: boolean }) {
  const settings = config();
  const boss = new PgBoss({
    schema: JOB_SCHEMA,
    ...(settings.embedded || !settings.databaseUrl ? { db: throughAppPool() } : { connectionString: settings.databaseUrl, max: 4 }),
    supervise: options.work,
    schedule: options.work,
    migrate: true,
  });
  boss.on("error", (error) => logger().error({ err: error }, "job queue error"));
  await boss.start();
  for (const [name, job] of Object.entries(JOBS)) {
    const options = { ...retryPolicy(), expireInSeconds: job.expireInSeconds ?? 15 * 60 };
    if (await boss.getQueue(name)) await boss.updateQueue(name, options);
    else await boss.createQueue(name, options);
  }
  provideMetricSources({ jobCounts: () => jobCounts(boss) });
  return boss;
}

async function jobCounts(boss: PgBoss) {
  const { rows } = await boss
    .getDb()
    .executeSql(`SELECT name AS queue, state::text AS state, count(*)::int AS count FROM ${JOB_SCHEMA}.job GROUP BY 1, 2`);
  return rows as { queue: string; state: string; count: number }[];
}

/**
 * Installs pg-boss's tables into a database that has none (a test template, a restored backup): what a server's
 * start does by itself, for databases no server has started on.
 */
export async function installJobSchema(connectionString: string) {
  const boss = new PgBoss({ connectionString, schema: JOB_SCHEMA, max: 1, supervise: false, schedule: false, migrate: true });
  await boss.start();
  await boss.stop({ graceful: false, close: true });
}

/**
 * Starts the queue for this process: installs or upgrades pg-boss's tables, and with `work` also works every job
 * and keeps the schedules (pg-boss makes sure each scheduled slot is sent once, whichever processes keep it).
 */
export async function startJobQueue({ work }: { work: boolean }) {
  shared.boss = createBoss({ work });
  const boss = await shared.boss;
  if (!work) return boss;
  shared.working = true;
  for (const [name, job] of Object.entries(JOBS)) {
    // What the job answers is kept as its output (how many orders it expired, what a task did).
    await boss.work(name, { pollingIntervalSeconds: 1, includeMetadata: true }, async ([next]) =>
      next ? runJob(name as JobName, next as JobWithMetadata<JobData<JobName>>) : null,
    );
    if (job.schedule) await boss.schedule(name, job.schedule, {}, { tz: SHOP_TIME_ZONE });
  }
  return boss;
}

/** The started queue; a process that did not start it (a script, a test) gets one that sends but works nothing. */
export function jobQueue(): Promise<PgBoss> {
  shared.boss ??= createBoss({ work: false });
  return shared.boss;
}

export async function stopJobQueue() {
  const boss = shared.boss;
  shared.boss = undefined;
  shared.working = false;
  if (boss) await (await boss).stop({ graceful: true, timeout: 20_000, close: true });
}

type SendOptions = { tx?: Prisma.TransactionClient; singletonKey?: string; singletonSeconds?: number; startAfter?: number };

/**
 * Queues a job. With `tx` it is written in the caller's transaction (an outbox): it exists exactly if the change
 * that asked for it commits. The request id travels with it, so the job's log lines can be found from the request.
 */
export async function enqueue<N extends JobName>(name: N, data: JobData<N>, { tx, ...options }: SendOptions = {}) {
  const boss = await jobQueue();
  const requestId = logContext()?.requestId;
  return boss.send(name, { ...data, requestId }, { ...options, ...(tx ? { db: fromPrisma(tx) } : {}) });
}

async function runJob<N extends JobName>(name: N, job: JobWithMetadata<JobData<N>>) {
  const data = job.data as JobData<N> & { requestId?: string };
  return withLogContext({ requestId: data.requestId ?? job.id, job: name }, async () => {
    const started = performance.now();
    try {
      const lastAttempt = job.retryCount >= job.retryLimit;
      const run = JOBS[name].run as (data: JobData<N>, job: JobRun) => Promise<object | null>;
      const result = await run(data, { jobId: job.id, lastAttempt });
      metrics().jobsWorked.inc({ queue: name, result: "completed" });
      logger().info({ jobId: job.id, ms: Math.round(performance.now() - started) }, "job done");
      return result;
    } catch (error) {
      metrics().jobsWorked.inc({ queue: name, result: "failed" });
      logger().error({ err: error, jobId: job.id, attempt: job.retryCount + 1 }, "job failed");
      throw error;
    }
  });
}

/**
 * Works every job that is due now, in this process, until none is left: what the workers do, without waiting for
 * them to poll. For tests and scripts; retries that are due at once (a zero retry delay) are worked too.
 */
export async function workDueJobs(names: JobName[] = Object.keys(JOBS) as JobName[]) {
  const boss = await jobQueue();
  let worked = 0;
  for (let found = true; found;) {
    found = false;
    for (const name of names) {
      const [job] = await boss.fetch<JobData<typeof name>>(name, { includeMetadata: true });
      if (!job) continue;
      found = true;
      worked++;
      try {
        const output = await runJob(name, job);
        await boss.complete(name, job.id, output && typeof output === "object" ? output : null);
      } catch (error) {
        await boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return worked;
}
