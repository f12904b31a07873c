// What the admin sees of the job queue: jobs that failed after their retries (with the error they ended on), a
// retry for each, and how many jobs each queue holds by state.
import { DomainError } from "~/domain/errors";
import { JOB_SCHEMA, jobQueue } from "./queue.server";
import { JOBS, type JobName } from "./jobs.server";

export type FailedJob = { id: string; name: string; attempts: number; failedAt: Date | null; error: string; data: unknown };

function errorText(output: unknown) {
  if (output && typeof output === "object" && "message" in output) return String((output as { message: unknown }).message);
  return output === null || output === undefined ? "" : JSON.stringify(output);
}

export async function failedJobs(limit = 50): Promise<FailedJob[]> {
  const boss = await jobQueue();
  const { rows } = await boss.getDb().executeSql(
    `SELECT id::text AS id, name, retry_count AS "retryCount", completed_on AS "failedAt", output, data
     FROM ${JOB_SCHEMA}.job WHERE state = 'failed' ORDER BY completed_on DESC NULLS LAST LIMIT $1`,
    [limit],
  );
  return (rows as { id: string; name: string; retryCount: number; failedAt: Date | null; output: unknown; data: unknown }[]).map((row) => ({
    id: row.id,
    name: row.name,
    attempts: row.retryCount + 1,
    failedAt: row.failedAt,
    error: errorText(row.output),
    data: row.data,
  }));
}

/** Puts a failed job back in its queue; refused for a job that is not (or no longer) failed. */
export async function retryFailedJob(name: string, id: string) {
  if (!(name in JOBS)) throw new DomainError("jobs.errors.notFound", { status: 404 });
  const boss = await jobQueue();
  const [job] = await boss.findJobs(name as JobName, { id });
  if (!job || job.state !== "failed") throw new DomainError("jobs.errors.notFound", { status: 404 });
  await boss.retry(name, id);
}

export async function jobCountsByQueue() {
  const boss = await jobQueue();
  const { rows } = await boss
    .getDb()
    .executeSql(`SELECT name AS queue, state::text AS state, count(*)::int AS count FROM ${JOB_SCHEMA}.job GROUP BY 1, 2 ORDER BY 1, 2`);
  return rows as { queue: string; state: string; count: number }[];
}
