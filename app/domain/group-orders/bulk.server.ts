// Long work on a whole group order — a unit settlement, a cancellation with its refunds, a fulfilment step — is done
// by a job (app/jobs), not inside the request. The command checks what it must and, in one transaction, records a
// BulkTask and queues the job (an outbox: the job exists exactly if the command committed). The job works in chunks,
// each its own transaction that also moves the task's progress on, so the page shows done/total and the outcome,
// and a job that stopped half-way resumes where the last chunk committed. One task at a time per group order, but
// for the settlements of different units, which credit different orders.
import { db, type Prisma } from "~/db/client.server";
import type { BulkTaskKind } from "~/db/generated/client";
import { recordAudit } from "~/domain/audit.server";
import { releaseOrderAllocations } from "~/domain/cooperative/allocation.server";
import { statusBefore, type FulfilmentStep } from "~/domain/cooperative/fulfilment-steps";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { cooperativeForVillage } from "~/domain/cooperative/scope.server";
import { DomainError, forbidden, isDomainError, notFound } from "~/domain/errors";
import { confirmOrderPayments, type BatchConfirmation } from "~/domain/ledger/batch-crediting.server";
import { notifyGroupOrderBuyers } from "~/domain/notifications.server";
import { expireCheckoutSessions } from "~/domain/payments/stripe.server";
import { isUniqueViolation } from "~/db/errors.server";
import type { JobRun } from "~/jobs/jobs.server";
import { enqueue } from "~/jobs/queue.server";
import { logContext } from "~/utils/logger.server";
import { getGroupOrderForOrganizer, getGroupOrderToRun, isAdmin, lockGroupOrder, type Organizer } from "./access.server";
import { groupOrderRefusal } from "./commands.server";
import { everyUnitSettled, type SettlementInput } from "./settlement.server";
import { canApply, nextState } from "./state";

type Tx = Prisma.TransactionClient;

/** Orders per transaction: 2,000 orders are four commits, each well under a second. */
const CHUNK = 500;

const taskSelect = {
  id: true,
  kind: true,
  step: true,
  status: true,
  done: true,
  total: true,
  outcome: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} as const;

export type BulkTaskView = Prisma.BulkTaskGetPayload<{ select: typeof taskSelect }>;

/**
 * The newest task of these kinds on the group order, for the page to show (and poll while it runs); with `unitScope`,
 * only the settlement of that unit (an invited unit's organizer follows their own unit's part).
 */
export function latestBulkTask(groupOrderId: string, kinds: BulkTaskKind[], unitScope: string | null = null) {
  return db.bulkTask.findFirst({
    where: { groupOrderId, kind: { in: kinds }, ...(unitScope === null ? {} : { settlement: { unitId: unitScope } }) },
    orderBy: { createdAt: "desc" },
    select: taskSelect,
  });
}

/** Refuses while a task (of these kinds, or any) runs on the group order; callers hold the group order's row lock. */
async function refuseWhileBusy(tx: Tx, groupOrderId: string, kinds?: BulkTaskKind[]) {
  const running = await tx.bulkTask.count({
    where: { groupOrderId, status: { in: ["queued", "running"] }, ...(kinds ? { kind: { in: kinds } } : {}) },
  });
  if (running > 0) throw new DomainError("errors.busy", { status: 409 });
}

type NewTask = { kind: BulkTaskKind; groupOrderId: string; settlementId?: string; total: number; step?: string; requestedById: string };

async function queueTask(tx: Tx, data: NewTask) {
  const task = await tx.bulkTask.create({ data: { ...data, requestId: logContext()?.requestId }, select: { id: true } });
  await enqueue("group-order.bulk", { taskId: task.id }, { tx });
  return task;
}

/**
 * Records one unit's payment for its own members' unit-settled orders and starts crediting them. An organizer
 * settles their own unit (another unit's orders are 403); an admin names the unit. The amount must equal what the
 * unit's orders owe, to the fen; the settlement and one succeeded payment per order are written now, the orders
 * become paid (and their households credited) in the job, chunk by chunk.
 */
export async function startSettlement(user: Organizer, groupOrderId: string, unitId: string, input: SettlementInput, now = new Date()) {
  const group = await getGroupOrderForOrganizer(user, groupOrderId, now);
  if (!isAdmin(user) && unitId !== user.unitId) throw forbidden();
  if (!group.units.some(({ unit }) => unit.id === unitId)) throw groupOrderRefusal(["unitNotInvited"]);
  try {
    return await db.$transaction(
      async (tx) => {
        // The group order's row lock orders a second settlement of the same unit after the first, which it then sees.
        const state = await lockGroupOrder(tx, groupOrderId, now);
        const existing = await tx.unitSettlement.findUnique({
          where: { groupOrderId_unitId: { groupOrderId, unitId } },
          select: { id: true },
        });
        if (existing || state === "settled") throw groupOrderRefusal(["alreadySettled"]);
        if (!canApply("settle", state)) throw groupOrderRefusal(["notAllowedNow"]);
        // Other units' settlements may run alongside: they credit other orders.
        await refuseWhileBusy(tx, groupOrderId, ["cancel", "fulfil"]);
        const orders = await tx.$queryRaw<{ id: string; totalFen: number }[]>`
          SELECT "id", "totalFen" FROM "Order"
          WHERE "groupOrderId" = ${groupOrderId} AND "unitId" = ${unitId} AND "paymentMethod" = 'unit_settlement' AND "status" = 'pending_payment'
          ORDER BY "id" FOR UPDATE`;
        if (orders.length === 0) throw groupOrderRefusal(["nothingToSettle"]);
        const owedFen = orders.reduce((sum, order) => sum + order.totalFen, 0);
        if (owedFen !== input.amountFen) throw groupOrderRefusal(["amountMismatch"]);
        const settlement = await tx.unitSettlement.create({
          data: {
            groupOrderId,
            unitId,
            amountFen: input.amountFen,
            reference: input.reference,
            paidOn: input.paidOn,
            recordedById: user.id,
          },
          select: { id: true },
        });
        await tx.payment.createMany({
          data: orders.map((order) => ({
            orderId: order.id,
            method: "unit_settlement" as const,
            status: "succeeded" as const,
            amountFen: order.totalFen,
            settlementId: settlement.id,
            succeededAt: now,
          })),
        });
        const task = await queueTask(tx, {
          kind: "settle",
          groupOrderId,
          settlementId: settlement.id,
          total: orders.length,
          requestedById: user.id,
        });
        await recordAudit(tx, {
          actorId: user.id,
          action: "group_order.settle",
          entityType: "GroupOrder",
          entityId: groupOrderId,
          changes: { settlementId: settlement.id, unitId, amountFen: input.amountFen, reference: input.reference, orders: orders.length },
        });
        return { taskId: task.id, settlementId: settlement.id, orders: orders.length };
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (error) {
    // The unique (group order, unit) is the last word should two settlements of one unit ever meet.
    if (isUniqueViolation(error)) throw groupOrderRefusal(["alreadySettled"]);
    throw error;
  }
}

/**
 * Starts cancelling a group order: it stops taking orders at once; the job then refunds every paid order in full
 * through the cooperative's refund path (card payments back through Stripe, unit-settled ones recorded), cancels
 * the unpaid ones and releases their stock. Each refund's key is derived from the group order, so a job retried
 * after Stripe refused one refund does not refund any order twice.
 */
export async function startCancellation(user: Organizer, groupOrderId: string, now = new Date()) {
  await getGroupOrderToRun(user, groupOrderId, now);
  return db.$transaction(async (tx) => {
    const state = await lockGroupOrder(tx, groupOrderId, now);
    if (!canApply("cancel", state)) throw groupOrderRefusal(["notAllowedNow"]);
    await refuseWhileBusy(tx, groupOrderId);
    if (state === "open" || state === "draft") {
      await tx.groupOrder.update({ where: { id: groupOrderId }, data: { status: "closed", closedAt: now, closesAt: now } });
    }
    const total = await tx.order.count({ where: { groupOrderId, status: { in: ["paid", "pending_payment"] } } });
    const task = await queueTask(tx, { kind: "cancel", groupOrderId, total, requestedById: user.id });
    await recordAudit(tx, { actorId: user.id, action: "group_order.cancel_started", entityType: "GroupOrder", entityId: groupOrderId });
    return { taskId: task.id, orders: total };
  });
}

/** Starts moving every paid order of a closed group order that is one step behind on to `step` (the cooperative). */
export async function startFulfilment(actor: { id: string; villageId: string | null }, groupOrderId: string, step: FulfilmentStep) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return db.$transaction(async (tx) => {
    const [group] = await tx.$queryRaw<{ cooperativeId: string; status: string }[]>`
      SELECT "cooperativeId", "status"::text AS "status" FROM "GroupOrder" WHERE "id" = ${groupOrderId} FOR UPDATE`;
    if (!group) throw notFound();
    if (group.cooperativeId !== cooperative.id) throw forbidden();
    if (group.status === "draft" || group.status === "open") throw new DomainError("cooperative.errors.groupStillOpen", { status: 409 });
    await refuseWhileBusy(tx, groupOrderId);
    const total = await tx.order.count({ where: { groupOrderId, status: "paid", fulfilmentStatus: statusBefore(step) } });
    const task = await queueTask(tx, { kind: "fulfil", groupOrderId, total, step, requestedById: actor.id });
    return { taskId: task.id, orders: total };
  });
}

type Task = NonNullable<Awaited<ReturnType<typeof loadTask>>>;

function loadTask(taskId: string) {
  return db.bulkTask.findUnique({
    where: { id: taskId },
    select: {
      id: true,
      kind: true,
      step: true,
      status: true,
      groupOrderId: true,
      settlementId: true,
      requestedById: true,
      outcome: true,
      startedAt: true,
    },
  });
}

/** The job's work. A finished task is left alone, so a duplicate job changes nothing. */
export async function runBulkTask(taskId: string, job: JobRun): Promise<object | null> {
  const task = await loadTask(taskId);
  if (!task || task.status === "done") return null;
  await db.bulkTask.update({ where: { id: taskId }, data: { status: "running", startedAt: task.startedAt ?? new Date(), error: null } });
  try {
    const outcome = await RUNNERS[task.kind](task);
    await db.bulkTask.update({ where: { id: taskId }, data: { status: "done", outcome, finishedAt: new Date(), error: null } });
    return outcome;
  } catch (error) {
    // While retries remain the task still runs (the page says the last error); after the last one it has failed.
    const message = error instanceof Error ? error.message : String(error);
    await db.bulkTask.update({
      where: { id: taskId },
      data: { error: message.slice(0, 1000), ...(job.lastAttempt ? { status: "failed", finishedAt: new Date() } : {}) },
    });
    throw error;
  }
}

const RUNNERS: Record<BulkTaskKind, (task: Task) => Promise<Prisma.InputJsonObject>> = {
  settle: creditSettledOrders,
  cancel: cancelWithRefunds,
  fulfil: advanceOrders,
};

type SettleProgress = BatchConfirmation & { cursor: string };

async function creditSettledOrders(task: Task) {
  // A task queued before settlements were per unit names none: it credits every settlement of its group order.
  const settled: Prisma.PaymentWhereInput = task.settlementId
    ? { settlementId: task.settlementId }
    : { settlement: { groupOrderId: task.groupOrderId } };
  const progress: SettleProgress = { credited: 0, already_paid: 0, needs_refund: 0, cursor: "", ...(task.outcome as object) };
  for (;;) {
    const now = new Date();
    const moved = await db.$transaction(
      async (tx) => {
        const payments = await tx.payment.findMany({
          where: { ...settled, orderId: { gt: progress.cursor } },
          orderBy: { orderId: "asc" },
          take: CHUNK,
          select: { id: true, orderId: true },
        });
        if (payments.length === 0) return 0;
        const outcome = await confirmOrderPayments(
          tx,
          payments.map((p) => ({ orderId: p.orderId, paymentId: p.id })),
          now,
        );
        progress.credited += outcome.credited;
        progress.already_paid += outcome.already_paid;
        progress.needs_refund += outcome.needs_refund;
        progress.cursor = payments[payments.length - 1]!.orderId;
        await tx.bulkTask.update({ where: { id: task.id }, data: { done: { increment: payments.length }, outcome: progress } });
        return payments.length;
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
    if (moved === 0) break;
  }
  await db.$transaction(async (tx) => {
    const state = await lockGroupOrder(tx, task.groupOrderId, new Date());
    const status = nextState("settle", state, { hasSettlement: await everyUnitSettled(tx, task.groupOrderId) });
    if (status && status !== state) await tx.groupOrder.update({ where: { id: task.groupOrderId }, data: { status } });
    // New credits change households' incomes: the monitoring checks run again (once for a burst of batches).
    await enqueue("monitoring.recheck", {}, { tx, singletonKey: "after-payments", singletonSeconds: 60 });
  });
  const { cursor: _, ...outcome } = progress;
  return outcome;
}

async function cancelWithRefunds(task: Task) {
  const groupOrderId = task.groupOrderId;
  const paid = await db.order.findMany({
    where: { groupOrderId, status: "paid" },
    orderBy: { id: "asc" },
    select: {
      id: true,
      lines: { take: 1, select: { sku: { select: { product: { select: { cooperative: { select: { villageId: true } } } } } } } },
    },
  });
  const refused: string[] = [];
  for (const order of paid) {
    try {
      const refund = await refundOrder({
        orderId: order.id,
        actorId: task.requestedById,
        villageId: order.lines[0]?.sku.product.cooperative.villageId ?? null,
        idempotencyKey: `group-order-cancel:${groupOrderId}`,
        reason: "group order cancelled",
      });
      if (!refund.replayed) await db.bulkTask.update({ where: { id: task.id }, data: { done: { increment: 1 } } });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      refused.push(`${order.id}: ${error.message}`);
    }
  }
  // Thrown after trying every order, so one refusal does not hold the others up; the retry refunds only what is left.
  if (refused.length > 0) throw new Error(`${refused.length} refund(s) refused, first ${refused[0]}`);

  const now = new Date();
  const cancelled = await db.$transaction(
    async (tx) => {
      const state = await lockGroupOrder(tx, groupOrderId, now);
      if (state === "cancelled") return [];
      if (!canApply("cancel", state)) throw groupOrderRefusal(["notAllowedNow"]);
      if ((await tx.order.count({ where: { groupOrderId, status: "paid" } })) > 0) throw groupOrderRefusal(["hasPaidOrders"]);
      // Notified before the orders change status, so the buyers found are those whose orders this cancels.
      await notifyGroupOrderBuyers(tx, groupOrderId, "group_order.cancelled");
      const unpaid = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "Order" WHERE "groupOrderId" = ${groupOrderId} AND "status" = 'pending_payment' ORDER BY "id" FOR UPDATE`;
      for (const order of unpaid) await releaseOrderAllocations(tx, order.id, now);
      const ids = unpaid.map((order) => order.id);
      await tx.order.updateMany({ where: { id: { in: ids } }, data: { status: "cancelled", cancelledAt: now, expiresAt: null } });
      await tx.payment.updateMany({ where: { orderId: { in: ids }, status: "pending" }, data: { status: "failed" } });
      await tx.groupOrder.update({ where: { id: groupOrderId }, data: { status: "cancelled", cancelledAt: now } });
      await tx.bulkTask.update({ where: { id: task.id }, data: { done: { increment: ids.length } } });
      await recordAudit(tx, {
        actorId: task.requestedById,
        action: "group_order.cancel",
        entityType: "GroupOrder",
        entityId: groupOrderId,
        changes: { cancelledOrders: ids.length, refundedOrders: paid.length },
      });
      return ids;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  await expireCheckoutSessions(cancelled);
  return { refunded: paid.length, cancelled: cancelled.length };
}

const STAMP_COLUMN: Record<FulfilmentStep, string> = { packed: "packedAt", shipped: "shippedAt", delivered: "deliveredAt" };

async function advanceOrders(task: Task) {
  const step = task.step as FulfilmentStep;
  const stamp = STAMP_COLUMN[step];
  let moved = 0;
  for (;;) {
    const now = new Date();
    const count = await db.$transaction(async (tx) => {
      // One statement per chunk: the orders move and each gets its audit line, as advancing one order writes.
      const rows = await tx.$queryRawUnsafe<{ count: number }[]>(
        `WITH next AS (
           SELECT "id" FROM "Order" WHERE "groupOrderId" = $1 AND "status" = 'paid' AND "fulfilmentStatus" = $2::"FulfilmentStatus"
           ORDER BY "id" LIMIT ${CHUNK} FOR UPDATE
         ), moved AS (
           UPDATE "Order" o SET "fulfilmentStatus" = $3::"FulfilmentStatus", "${stamp}" = $4::timestamp(3), "updatedAt" = $4::timestamp(3)
           FROM next WHERE o."id" = next."id" RETURNING o."id"
         ), audited AS (
           INSERT INTO "AuditLog" ("actorId", "action", "entityType", "entityId", "createdAt")
           SELECT $5, $6, 'Order', "id", $4::timestamp(3) FROM moved RETURNING 1
         )
         SELECT count(*)::int AS "count" FROM audited`,
        task.groupOrderId,
        statusBefore(step),
        step,
        now,
        task.requestedById,
        `order.${step}`,
      );
      const count = rows[0]?.count ?? 0;
      if (count > 0) await tx.bulkTask.update({ where: { id: task.id }, data: { done: { increment: count } } });
      return count;
    });
    if (count === 0) break;
    moved += count;
  }
  return { moved };
}
