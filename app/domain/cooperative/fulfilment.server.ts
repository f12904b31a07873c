// The cooperative's side of an order after checkout: cancelling one that was never paid (its stock goes back to the
// lots, as when it expires) and moving paid orders through packed → shipped → delivered.
import { db } from "~/db/client.server";
import { releaseOrderAllocations } from "./allocation.server";
import { recordAudit } from "~/domain/audit.server";
import { assertOrderOfVillage, cooperativeForVillage, CooperativeAccessError } from "./scope.server";
import { expireCheckoutSessions } from "~/domain/payments/stripe.server";

export class OrderStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrderStateError";
  }
}

/**
 * Cancels an unpaid order and returns its reserved units to their lots, under the order's row lock (the pattern of
 * expireOrderInTransaction). A payment that still arrives for it is flagged for a refund by confirmOrderPayment.
 * Cancelling an order that is already cancelled is a no-op answer (false), so a retried click is harmless.
 */
export async function cancelUnpaidOrder(orderId: string, actor: { id: string; villageId: string | null }, now = new Date()) {
  const cancelled = await db.$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<
      { status: string }[]
    >`SELECT "status"::text AS "status" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`;
    if (!order) throw new OrderStateError("Order not found");
    await assertOrderOfVillage(tx, orderId, actor.villageId);
    if (order.status === "cancelled") return false;
    if (order.status !== "pending_payment")
      throw new OrderStateError(`Only an unpaid order can be cancelled (this one is ${order.status}); refund a paid one`);
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

export const NEXT_STEP = { packed: "unfulfilled", shipped: "packed", delivered: "shipped" } as const;
export type FulfilmentStep = keyof typeof NEXT_STEP;

/**
 * Moves a paid order one fulfilment step on (unfulfilled → packed → shipped → delivered). A step already reached
 * is answered with false (idempotent); a skipped step or an unpaid order is refused.
 */
export async function advanceFulfilment(
  orderId: string,
  step: FulfilmentStep,
  actor: { id: string; villageId: string | null },
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<{ status: string; fulfilmentStatus: string }[]>`
      SELECT "status"::text AS "status", "fulfilmentStatus"::text AS "fulfilmentStatus" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`;
    if (!order) throw new OrderStateError("Order not found");
    await assertOrderOfVillage(tx, orderId, actor.villageId);
    if (order.fulfilmentStatus === step) return false;
    if (order.status !== "paid") throw new OrderStateError(`Only a paid order can be ${step} (this one is ${order.status})`);
    if (order.fulfilmentStatus !== NEXT_STEP[step])
      throw new OrderStateError(`An order that is ${order.fulfilmentStatus} cannot become ${step}`);
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
  if ("groupOrderId" in source) {
    const group = await db.groupOrder.findUnique({ where: { id: source.groupOrderId }, select: { cooperativeId: true, status: true } });
    if (!group || group.cooperativeId !== cooperative.id) throw new CooperativeAccessError();
    if (group.status === "draft" || group.status === "open") throw new OrderStateError("The group order is still open");
  }
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

/** Closed (or later) group orders of the coop, newest delivery first, for choosing a picking list. */
export async function groupOrdersToPick(actor: { villageId: string | null }) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return db.groupOrder.findMany({
    where: { cooperativeId: cooperative.id, status: { in: ["closed", "delivered", "settled"] } },
    orderBy: { deliveryDate: "desc" },
    take: 50,
    select: { id: true, title: true, pickupPoint: true, deliveryDate: true, status: true },
  });
}
