// Every kind of background job, with its schedule when it has one. Each is idempotent: a job may run again after a
// crash or a retry and must then change nothing more (a row lock, a unique key, a cursor kept with the work).
// Issue-specific jobs are added here; the queue (queue.server.ts) creates a queue and a worker for each.
import { db } from "~/db/client.server";
import { closeLapsedGroupOrders } from "~/domain/group-orders/access.server";
import { runBulkTask } from "~/domain/group-orders/bulk.server";
import { runMonitoringChecks } from "~/domain/households/monitoring.server";
import { runAndRecordLedgerAudit } from "~/domain/ledger/audit.server";
import { writeGroupOrderNotifications, type GroupOrderNotificationJob } from "~/domain/notifications.server";
import { expireOverdueOrders } from "~/domain/shop/checkout.server";
import { currentShopYear } from "~/utils/dates";

export type JobRun = { jobId: string; lastAttempt: boolean };

type JobDefinition<D> = {
  run: (data: D, job: JobRun) => Promise<object | null>;
  /** A cron expression in the shop's time zone: pg-boss sends one job per slot, whichever processes keep time. */
  schedule?: string;
  /** How long one run may take before pg-boss counts it as failed. */
  expireInSeconds?: number;
};

const define = <D>(job: JobDefinition<D>) => job;

/** Sign-in attempts count for 15 minutes; a day's history is kept for looking into abuse. */
const LOGIN_ATTEMPTS_KEPT_MS = 24 * 60 * 60 * 1000;

export const JOBS = {
  /** Unpaid card orders past their payment window give their stock back (was: a timer in every server). */
  "orders.expire": define<Record<string, never>>({
    schedule: "* * * * *",
    run: async () => ({ expired: await expireOverdueOrders() }),
  }),
  /** Open group orders past their closing time are closed and their buyers told, without waiting for a visit. */
  "group-orders.close-lapsed": define<Record<string, never>>({
    schedule: "* * * * *",
    run: async () => ({ closed: await closeLapsedGroupOrders() }),
  }),
  /** The monitoring checks for every village: nightly, and after each batch of payments (credits change income). */
  "monitoring.recheck": define<Record<string, never>>({
    schedule: "10 2 * * *",
    run: async () => {
      const run = await runMonitoringChecks({ id: "jobs", roles: ["admin"], villageId: null }, currentShopYear());
      return { year: run.year, checkedAt: run.checkedAt };
    },
  }),
  "notifications.group-order": define<GroupOrderNotificationJob>({
    run: async (data) => ({ written: await writeGroupOrderNotifications(data) }),
  }),
  /** Settling, cancelling (with refunds, retried with backoff while Stripe refuses) or advancing a group order. */
  "group-order.bulk": define<{ taskId: string }>({
    expireInSeconds: 60 * 60,
    run: async ({ taskId }, job) => runBulkTask(taskId, job),
  }),
  /** The ledger audit, nightly; the work team and the admin see its last result. */
  "ledger.audit": define<Record<string, never>>({
    schedule: "30 2 * * *",
    expireInSeconds: 60 * 60,
    run: async () => {
      const result = await runAndRecordLedgerAudit();
      return { householdsSeen: result.householdsSeen, differences: result.differences.length };
    },
  }),
  /** Expired sessions and old sign-in attempts. */
  "maintenance.purge": define<Record<string, never>>({
    schedule: "40 3 * * *",
    run: async () => {
      const now = Date.now();
      const sessions = await db.session.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
      const attempts = await db.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now - LOGIN_ATTEMPTS_KEPT_MS) } } });
      return { sessions: sessions.count, loginAttempts: attempts.count };
    },
  }),
};

export type JobName = keyof typeof JOBS;
export type JobData<N extends JobName> = Parameters<(typeof JOBS)[N]["run"]>[0];
