// A job that throws is retried (with backoff in production: the delay doubles from JOB_RETRY_DELAY_SECONDS; tests
// retry at once) and, once its retries are spent, stays failed with its error on /admin/jobs until the admin retries
// it. Here the job writes a notification for a user who does not exist yet (a foreign key refuses it); the cause is
// then put right and the admin's retry runs it to completion.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { failedJobs } from "~/jobs/failed.server";
import { JOB_SCHEMA, enqueue, jobQueue, retryPolicy, workDueJobs } from "~/jobs/queue.server";
import { action, loader } from "~/routes/admin.jobs";
import { loader as teamLoader } from "~/routes/team._index";
import { JOBS } from "~/jobs/jobs.server";
import { createShop } from "../fixtures";
import { truncateAllTables } from "../../setup/reset";
import { outcome, routeRequest, signedIn } from "../route-helpers";

const NAME = "notifications.group-order";

beforeEach(async () => {
  await truncateAllTables();
});

async function jobRow(id: string) {
  const boss = await jobQueue();
  const { rows } = await boss
    .getDb()
    .executeSql(`SELECT state::text AS state, retry_count AS "retryCount", output FROM ${JOB_SCHEMA}.job WHERE id = $1`, [id]);
  return rows[0] as { state: string; retryCount: number; output: unknown };
}

describe("a job that throws", () => {
  it("is retried, ends up failed with its error for the admin, and runs again when the admin retries it", async () => {
    const userId = randomUUID();
    const payload = { groupOrderId: randomUUID(), title: "桃子团购", pickupPoint: "东门", deliveryDate: "2026-07-05" };
    const id = (await enqueue(NAME, { kind: "group_order.closed", payload, userIds: [userId] }))!;

    await workDueJobs([NAME]);
    expect(await jobRow(id)).toMatchObject({ state: "failed", retryCount: 4 });
    const [failed, ...others] = await failedJobs();
    expect(others).toEqual([]);
    expect(failed).toMatchObject({ id, name: NAME, attempts: 5, error: expect.stringMatching(/foreign key|Foreign key/) });

    const admin = await signedIn(["admin"], null);
    const page = await outcome(() => loader({ request: routeRequest("/admin/jobs", admin.cookie), params: {}, context: {} }));
    expect(page.data).toMatchObject({ failed: [expect.objectContaining({ id, name: NAME, attempts: 5 })] });
    const employee = await signedIn(["employee"], null);
    const refused = await outcome(() =>
      action({ request: routeRequest("/admin/jobs", employee.cookie, { intent: "retry", name: NAME, id }), params: {}, context: {} }),
    );
    expect(refused.status).toBe(403);

    await db.user.create({ data: { id: userId, name: "职工", email: `${userId}@t.example`, passwordHash: "x" } });
    const retried = await outcome(() =>
      action({ request: routeRequest("/admin/jobs", admin.cookie, { intent: "retry", name: NAME, id }), params: {}, context: {} }),
    );
    expect(retried.status).toBe(200);
    await workDueJobs([NAME]);
    expect(await jobRow(id)).toMatchObject({ state: "completed", output: { written: 1 } });
    expect(await failedJobs()).toEqual([]);
    expect(await db.notification.count({ where: { userId } })).toBe(1);

    const again = await outcome(() =>
      action({ request: routeRequest("/admin/jobs", admin.cookie, { intent: "retry", name: NAME, id }), params: {}, context: {} }),
    );
    expect(again.status).toBe(404);
  });

  it("waits longer before each retry in production: 4 retries, the delay doubling up to 15 minutes", () => {
    expect(retryPolicy(15)).toEqual({ retryLimit: 4, retryDelay: 15, retryBackoff: true, retryDelayMax: 900 });
    expect(retryPolicy(0)).toEqual({ retryLimit: 4, retryDelay: 0, retryBackoff: false });
  });
});

describe("the nightly ledger audit", () => {
  it("runs as a scheduled job and its result shows on the team's home page and the admin's jobs page", async () => {
    expect(JOBS["ledger.audit"].schedule).toBe("30 2 * * *");
    const shop = await createShop();
    const id = (await enqueue("ledger.audit", {}))!;
    await workDueJobs(["ledger.audit"]);
    expect(await jobRow(id)).toMatchObject({ state: "completed", output: { householdsSeen: 0, differences: 0 } });
    const team = await signedIn(["team"], shop.village.id);
    const home = await outcome(() => teamLoader({ request: routeRequest("/team", team.cookie), params: {}, context: {} }));
    expect(home.data).toMatchObject({ audit: { differenceCount: 0, householdsSeen: 0, finishedAt: expect.any(Date) } });
    const admin = await signedIn(["admin"], null);
    const jobs = await outcome(() => loader({ request: routeRequest("/admin/jobs", admin.cookie), params: {}, context: {} }));
    expect(jobs.data).toMatchObject({ audit: { differenceCount: 0 } });
  });
});
