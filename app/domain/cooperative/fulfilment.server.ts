// The cooperative's side of an order after checkout: cancelling one that was never paid (its stock goes back to the
// lots, as when it expires) and moving paid orders through packed → shipped → delivered.
import { db } from "~/db/client.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError } from "~/domain/errors";
import { expireCheckoutSessions } from "~/domain/payments/stripe.server";
import { releaseOrderAllocations } from "./allocation.server";
import { FULFILMENT_STEPS, statusBefore, type FulfilmentStatus, type FulfilmentStep } from "./fulfilment-steps";
import { assertOrderOfVillage, cooperativeForVillage, missing, otherVillage } from "./scope.server";

type Actor = { id: string; villageId: string | null };

/**
 * Cancels an unpaid order and returns its reserved units to their lots, under the order's row lock (the pattern of
 * expireOrderInTransaction). A payment that still arrives for it is flagged for a refund by confirmOrderPayment.
 * Cancelling an order that is already cancelled is a no-op answer (false), so a retried click is harmless.
 */
export async function cancelUnpaidOrder(orderId: string, actor: Actor, now = new Date()) {
  const cancelled = await db.$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<
      { status: string }[]
    >`SELECT "status"::text AS "status" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`;
    if (!order) throw missing();
    await assertOrderOfVillage(tx, orderId, actor.villageId);
    if (order.status === "cancelled") return false;
    if (order.status !== "pending_payment") throw new DomainError("cooperative.errors.cancelOnlyUnpaid", { status: 409 });
    const released = await releaseOrderAllocations(tx, orderId, now);
    await tx.order.update({ where: { id: orderId }, data: { status: "cancelled", cancelledAt: now, expiresAt: null } });
    await tx.payment.updateMany({ where: { orderId, status: "pending" }, data: { status: "failed" } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "order.cancel",
      entityType: "Order",
      entityId: orderId,
      changes: { releasedAllocations: released },
    });
    return true;
  });
  if (cancelled) await expireCheckoutSessions([orderId]);
  return cancelled;
}

/**
 * Moves a paid order one fulfilment step on (unfulfilled → packed → shipped → delivered). A step already reached
 * is answered with false (idempotent); a skipped step, a step back or an unpaid order is refused with a message
 * that says where the order stands.
 */
export async function advanceFulfilment(orderId: string, step: FulfilmentStep, actor: Actor, now = new Date()) {
  return db.$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<{ status: string; fulfilmentStatus: FulfilmentStatus }[]>`
      SELECT "status"::text AS "status", "fulfilmentStatus"::text AS "fulfilmentStatus" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`;
    if (!order) throw missing();
    await assertOrderOfVillage(tx, orderId, actor.villageId);
    if (order.fulfilmentStatus === step) return false;
    if (order.status !== "paid") throw new DomainError("cooperative.errors.fulfilment.notPaid", { status: 409 });
    if (order.fulfilmentStatus !== statusBefore(step))
      throw new DomainError(`cooperative.errors.fulfilment.${order.fulfilmentStatus}`, { status: 409 });
    const stamp = step === "packed" ? { packedAt: now } : step === "shipped" ? { shippedAt: now } : { deliveredAt: now };
    await tx.order.update({ where: { id: orderId }, data: { fulfilmentStatus: step, ...stamp } });
    await recordAudit(tx, { actorId: actor.id, action: `order.${step}`, entityType: "Order", entityId: orderId });
    return true;
  });
}

export type PickingSource = { groupOrderId: string } | { delivery: true };

export type PickingRow = {
  householdCode: string;
  householdDisplayName: string | null;
  skuCode: string;
  skuNameZh: string;
  skuNameEn: string;
  productNameZh: string;
  productNameEn: string;
  lotCode: string;
  quantity: number;
};

/**
 * What to pick from each household's lots: for a closed group order, or for the paid home-delivery orders not yet
 * packed. Built from the allocations (units refunded are left out), grouped per household, SKU and lot —
 * "AS-017: 12 × 一级果 5公斤礼盒, lot L-0712".
 */
export async function pickingList(actor: { villageId: string | null }, source: PickingSource) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  if ("groupOrderId" in source) await closedGroupOrderOf(cooperative.id, source.groupOrderId);
  const groupOrderId = "groupOrderId" in source ? source.groupOrderId : null;
  const rows = await db.$queryRaw<PickingRow[]>`
    SELECT h."code" AS "householdCode", h."displayName" AS "householdDisplayName", s."code" AS "skuCode", s."nameZh" AS "skuNameZh",
      s."nameEn" AS "skuNameEn", p."nameZh" AS "productNameZh", p."nameEn" AS "productNameEn", l."code" AS "lotCode",
      SUM(a."quantity" - a."refundedQuantity")::int AS "quantity"
    FROM "Allocation" a
    JOIN "OrderLine" ol ON ol."id" = a."orderLineId" JOIN "Order" o ON o."id" = ol."orderId"
    JOIN "StockLot" l ON l."id" = a."lotId" JOIN "Household" h ON h."id" = l."householdId"
    JOIN "Sku" s ON s."id" = ol."skuId" JOIN "Product" p ON p."id" = s."productId"
    WHERE a."releasedAt" IS NULL AND o."status" = 'paid' AND p."cooperativeId" = ${cooperative.id}
      AND (${groupOrderId}::text IS NOT NULL AND o."groupOrderId" = ${groupOrderId}
        OR ${groupOrderId}::text IS NULL AND o."fulfilment" = 'delivery' AND o."fulfilmentStatus" = 'unfulfilled')
    GROUP BY h."code", h."displayName", s."code", s."nameZh", s."nameEn", p."nameZh", p."nameEn", l."code"
    HAVING SUM(a."quantity" - a."refundedQuantity") > 0
    ORDER BY h."code", s."code", l."code"`;
  const households = new Map<string, { householdCode: string; householdDisplayName: string | null; items: PickingRow[] }>();
  for (const row of rows) {
    let entry = households.get(row.householdCode);
    if (!entry)
      households.set(
        row.householdCode,
        (entry = { householdCode: row.householdCode, householdDisplayName: row.householdDisplayName, items: [] }),
      );
    entry.items.push(row);
  }
  return [...households.values()];
}

/** The demand behind a picking list: units per SKU over every household and lot, in SKU code order. */
export function demandBySku(households: Awaited<ReturnType<typeof pickingList>>) {
  const totals = new Map<
    string,
    Pick<PickingRow, "skuCode" | "skuNameZh" | "skuNameEn" | "productNameZh" | "productNameEn" | "quantity">
  >();
  for (const { skuCode, skuNameZh, skuNameEn, productNameZh, productNameEn, quantity } of households.flatMap((h) => h.items)) {
    const seen = totals.get(skuCode);
    totals.set(skuCode, { skuCode, skuNameZh, skuNameEn, productNameZh, productNameEn, quantity: quantity + (seen?.quantity ?? 0) });
  }
  return [...totals.values()].sort((a, b) => a.skuCode.localeCompare(b.skuCode));
}

/** A group order of the cooperative that has closed: 404 if there is none, 403 if another's, 409 while open. */
async function closedGroupOrderOf(cooperativeId: string, groupOrderId: string) {
  const group = await db.groupOrder.findUnique({ where: { id: groupOrderId }, select: { cooperativeId: true, status: true } });
  if (!group) throw missing();
  if (group.cooperativeId !== cooperativeId) throw otherVillage();
  if (group.status === "draft" || group.status === "open") throw new DomainError("cooperative.errors.groupStillOpen", { status: 409 });
}

/** Closed (or later) group orders of the coop, newest delivery first, for choosing a picking list. */
export async function groupOrdersToPick(actor: { villageId: string | null }) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return db.groupOrder.findMany({
    where: { cooperativeId: cooperative.id, status: { in: ["closed", "delivered", "settled"] } },
    orderBy: { deliveryDate: "desc" },
    take: 50,
    select: { id: true, title: true, pickupPoint: true, deliveryDate: true },
  });
}

/**
 * Where a group order's paid orders stand: how many wait for each fulfilment step (the steps the picking page
 * offers, so only a step that can apply is offered) and how many are delivered.
 */
export async function groupOrderProgress(actor: { villageId: string | null }, groupOrderId: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  await closedGroupOrderOf(cooperative.id, groupOrderId);
  const counts = await db.order.groupBy({ by: ["fulfilmentStatus"], where: { groupOrderId, status: "paid" }, _count: { _all: true } });
  const count = (status: FulfilmentStatus) => counts.find((row) => row.fulfilmentStatus === status)?._count._all ?? 0;
  return {
    waiting: FULFILMENT_STEPS.map((step) => ({ step, count: count(statusBefore(step)) })).filter((row) => row.count > 0),
    delivered: count("delivered"),
  };
}
