// Moving an allocation to another lot before packing (a lot spoiled, DOMAIN §3 "unless the cooperative overrides
// before packing"). The whole of what the allocation still holds moves: the old allocation is released with
// replacedById pointing at its successor on the new lot, its units go back to the old lot (which the cooperative can
// then write off), and the new lot gives the same number of units.
//
// Money (DOMAIN §4, §5.3): on an unpaid order nothing is in the ledger yet, and the payment later credits the live
// allocations only, so only the new lot's household is credited. On a paid order the old household gives up what
// refunding the moved units would take back (`reversalForRefund` of its credit, read from `credit:`/`fee:` entries)
// and the new allocation is credited exactly that, fee likewise, so each line still adds up to its total to the fen.
// Because every refund and move takes from an allocation by the same telescoping rule, an allocation whose units
// have all left (refunded or moved) nets to zero, whatever the order of those events.
//
// Refunded units stay with the old allocation: it keeps its refundedQuantity as history, and the new allocation
// holds only the units still sold (quantity − refundedQuantity), so refunds after the move take from it.
//
// Idempotency: the new allocation's id is derived from the old one and the request's key, and every ledger entry's
// key from that id, so a retry finds the move it already made; concurrent duplicates queue on the order's row lock,
// and each one after the first finds the first's move there.
import { createHash } from "node:crypto";
import { db, Prisma } from "~/db/client.server";
import { shopToday } from "~/utils/dates";
import { recordAudit } from "~/domain/audit.server";
import { DomainError } from "~/domain/errors";
import { reversalForRefund } from "~/domain/ledger/split";
import { assertOrderOfVillage, otherVillage } from "./scope.server";

type Tx = Prisma.TransactionClient;

/** The allocation, its order or the chosen lot is not there (any more): 404. */
function notThere(field?: "toLotId") {
  return new DomainError("cooperative.reallocation.errors.not_found", { status: 404, field });
}

/** The chosen lot cannot take the allocation: the user's to fix, on the form's lot field (422). */
function lotRefusal(reason: "same_lot" | "wrong_sku" | "expired_lot" | "lot_short", params?: { count: number }) {
  return new DomainError(`cooperative.reallocation.errors.${reason}`, { field: "toLotId", params });
}

/** The order or the allocation changed meanwhile, or the request asks what a move cannot do (409, 422). */
function moveRefusal(
  reason: "order_state" | "already_moved" | "nothing_to_move" | "key_reused" | "too_many_units" | "partial_move",
  params?: { count: number },
) {
  const status = reason === "too_many_units" || reason === "partial_move" ? 422 : 409;
  return new DomainError(`cooperative.reallocation.errors.${reason}`, { status, params });
}

export type MoveRequest = {
  actor: { id: string; villageId: string | null };
  /** The order the allocation must belong to (the page it was sent from), when given. */
  orderId?: string;
  allocationId: string;
  toLotId: string;
  /** Units to move; omitted = every unit the allocation still holds. Only the whole allocation can move. */
  quantity?: number;
  idempotencyKey: string;
  now?: Date;
};

export type MoveResult = {
  orderId: string;
  /** The new allocation, on the target lot. */
  allocationId: string;
  replacedAllocationId: string;
  fromLotId: string;
  toLotId: string;
  quantity: number;
  /** What moved from the old household to the new one; null when the order was not paid (nothing was credited). */
  transferred: { householdFen: number; feeFen: number } | null;
  replayed: boolean;
};

/** Deterministic per allocation and request key, so a retried move finds the allocation it already created. */
export function movedAllocationIdFor(allocationId: string, idempotencyKey: string) {
  return `mv_${createHash("sha256").update(`${allocationId}\0${idempotencyKey}`).digest("hex").slice(0, 24)}`;
}

export async function moveAllocation(request: MoveRequest): Promise<MoveResult> {
  const now = request.now ?? new Date();
  const newId = movedAllocationIdFor(request.allocationId, request.idempotencyKey);
  return db.$transaction((tx) => moveInTransaction(tx, request, newId, now), { timeout: 30_000, maxWait: 10_000 });
}

async function findReplay(client: Tx, newId: string, request: MoveRequest): Promise<MoveResult | null> {
  const moved = await client.allocation.findUnique({
    where: { id: newId },
    select: {
      lotId: true,
      quantity: true,
      orderLine: { select: { orderId: true } },
    },
  });
  if (!moved) return null;
  // Entries of the move itself: the new allocation's credit is also written by a payment after an unpaid move.
  const entries = await client.ledgerEntry.findMany({
    where: { entryKey: { in: [`credit:${newId}`, `fee:${newId}`, `move-reversal:${newId}`, `move-fee-reversal:${newId}`] } },
    select: { kind: true, amountFen: true, entryKey: true },
  });
  const paidMove = entries.some((e) => e.entryKey.startsWith("move-"));
  const replaced = await client.allocation.findFirst({ where: { replacedById: newId }, select: { id: true, lotId: true } });
  if (
    !replaced ||
    replaced.id !== request.allocationId ||
    moved.lotId !== request.toLotId ||
    (request.quantity !== undefined && request.quantity !== moved.quantity)
  ) {
    throw moveRefusal("key_reused");
  }
  const credit = entries.find((e) => e.kind === "sale_credit");
  const fee = entries.find((e) => e.kind === "fee");
  return {
    orderId: moved.orderLine.orderId,
    allocationId: newId,
    replacedAllocationId: replaced.id,
    fromLotId: replaced.lotId,
    toLotId: moved.lotId,
    quantity: moved.quantity,
    transferred: paidMove && credit && fee ? { householdFen: credit.amountFen, feeFen: fee.amountFen } : null,
    replayed: true,
  };
}

type LockedLot = { id: string; skuId: string; fresh: boolean; free: number; cooperativeId: string; villageId: string; householdId: string };

async function moveInTransaction(tx: Tx, request: MoveRequest, newId: string, now: Date): Promise<MoveResult> {
  const allocation = await tx.allocation.findUnique({
    where: { id: request.allocationId },
    select: { orderLine: { select: { orderId: true } } },
  });
  if (!allocation || (request.orderId !== undefined && allocation.orderLine.orderId !== request.orderId)) throw notThere();
  const orderId = allocation.orderLine.orderId;
  // The order's row lock first, as refunds, payment and fulfilment take it: they and duplicate moves queue here.
  const [order] = await tx.$queryRaw<{ status: string; fulfilmentStatus: string }[]>`
    SELECT "status"::text AS "status", "fulfilmentStatus"::text AS "fulfilmentStatus" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`;
  if (!order) throw notThere();
  const cooperative = await assertOrderOfVillage(tx, orderId, request.actor.villageId);
  const replay = await findReplay(tx, newId, request);
  if (replay) return replay;
  if ((order.status !== "pending_payment" && order.status !== "paid") || order.fulfilmentStatus !== "unfulfilled")
    throw moveRefusal("order_state");

  const old = await tx.allocation.findUniqueOrThrow({
    where: { id: request.allocationId },
    select: {
      id: true,
      orderLineId: true,
      lotId: true,
      quantity: true,
      refundedQuantity: true,
      releasedAt: true,
      orderLine: { select: { skuId: true, feeRateBp: true } },
      ledgerEntries: { where: { kind: { in: ["sale_credit", "fee"] } }, select: { kind: true, amountFen: true, paymentId: true } },
    },
  });
  if (old.releasedAt) throw moveRefusal("already_moved");
  const units = old.quantity - old.refundedQuantity;
  if (units === 0) throw moveRefusal("nothing_to_move");
  if (request.quantity !== undefined) {
    if (request.quantity > units) throw moveRefusal("too_many_units", { count: units });
    if (request.quantity !== units) throw moveRefusal("partial_move", { count: units });
  }
  if (request.toLotId === old.lotId) throw lotRefusal("same_lot");

  // Both lots locked in the order checkout takes a SKU's lots (best-before, received, code), so a move and a
  // checkout waiting on each other's lots cannot deadlock.
  const lots = await tx.$queryRaw<LockedLot[]>`
    SELECT l."id", l."skuId", l."bestBefore" >= ${shopToday(now)}::date AS "fresh",
      "free_units"(l) AS "free",
      p."cooperativeId", h."villageId", l."householdId"
    FROM "StockLot" l JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId" JOIN "Household" h ON h."id" = l."householdId"
    WHERE l."id" IN (${old.lotId}, ${request.toLotId})
    ORDER BY l."bestBefore", l."receivedOn", l."code"
    FOR UPDATE OF l`;
  const from = lots.find((l) => l.id === old.lotId)!;
  const to = lots.find((l) => l.id === request.toLotId);
  if (!to) throw notThere("toLotId");
  if (to.cooperativeId !== cooperative.id || to.villageId !== cooperative.villageId) throw otherVillage();
  if (to.skuId !== old.orderLine.skuId) throw lotRefusal("wrong_sku");
  if (!to.fresh) throw lotRefusal("expired_lot");
  const taken = await tx.$executeRaw`
    UPDATE "StockLot" lot SET "quantityAllocated" = lot."quantityAllocated" + ${units}
    WHERE lot."id" = ${to.id} AND "free_units"(lot) >= ${units}`;
  if (taken !== 1) throw lotRefusal("lot_short", { count: to.free });
  await tx.$executeRaw`UPDATE "StockLot" SET "quantityAllocated" = "quantityAllocated" - ${units} WHERE "id" = ${from.id}`;

  await tx.allocation.create({ data: { id: newId, orderLineId: old.orderLineId, lotId: to.id, quantity: units, createdAt: now } });
  await tx.allocation.update({ where: { id: old.id }, data: { releasedAt: now, replacedById: newId } });

  let transferred: MoveResult["transferred"] = null;
  if (order.status === "paid") {
    const credit = old.ledgerEntries.find((e) => e.kind === "sale_credit");
    const fee = old.ledgerEntries.find((e) => e.kind === "fee");
    if (!credit || !fee) throw new Error(`Allocation ${old.id} of a paid order has no credit in the ledger`);
    const moved = reversalForRefund(
      { quantity: old.quantity, shareFen: credit.amountFen + fee.amountFen, feeFen: fee.amountFen },
      old.orderLine.feeRateBp,
      old.refundedQuantity,
      units,
    );
    const common = { cooperativeId: cooperative.id, orderId, paymentId: credit.paymentId, occurredAt: now };
    const entries: Prisma.LedgerEntryCreateManyInput[] = [
      // The new allocation's credit and fee are written even when zero: a later refund reads them as its share.
      {
        ...common,
        entryKey: `credit:${newId}`,
        kind: "sale_credit",
        allocationId: newId,
        householdId: to.householdId,
        amountFen: moved.householdFen,
      },
      { ...common, entryKey: `fee:${newId}`, kind: "fee", allocationId: newId, householdId: null, amountFen: moved.feeFen },
    ];
    if (moved.householdFen !== 0) {
      entries.push({
        ...common,
        entryKey: `move-reversal:${newId}`,
        kind: "sale_reversal",
        allocationId: old.id,
        householdId: from.householdId,
        amountFen: -moved.householdFen,
      });
    }
    if (moved.feeFen !== 0) {
      entries.push({
        ...common,
        entryKey: `move-fee-reversal:${newId}`,
        kind: "fee_reversal",
        allocationId: old.id,
        householdId: null,
        amountFen: -moved.feeFen,
      });
    }
    await tx.ledgerEntry.createMany({ data: entries });
    transferred = { householdFen: moved.householdFen, feeFen: moved.feeFen };
  }

  await recordAudit(tx, {
    actorId: request.actor.id,
    action: "allocation.move",
    entityType: "Order",
    entityId: orderId,
    changes: { from: { allocationId: old.id, lotId: from.id }, to: { allocationId: newId, lotId: to.id }, units, transferred },
  });
  return {
    orderId,
    allocationId: newId,
    replacedAllocationId: old.id,
    fromLotId: from.id,
    toLotId: to.id,
    quantity: units,
    transferred,
    replayed: false,
  };
}

export type MoveTarget = {
  id: string;
  code: string;
  householdCode: string;
  householdDisplayName: string | null;
  free: number;
  bestBefore: Date;
};

/**
 * For each allocation of an order that can still change lots: the units it holds, what would move between the
 * households if the order is paid, and the other unexpired lots of its SKU with free units (earliest best-before
 * first, as checkout would take them). Empty when the order is past packing or not unpaid/paid.
 */
export async function moveOptions(actor: { villageId: string | null }, orderId: string, now = new Date()) {
  const cooperative = await assertOrderOfVillage(db, orderId, actor.villageId);
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true, fulfilmentStatus: true } });
  if ((order.status !== "pending_payment" && order.status !== "paid") || order.fulfilmentStatus !== "unfulfilled") return [];
  const allocations = await db.allocation.findMany({
    where: { orderLine: { orderId }, releasedAt: null },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      lotId: true,
      quantity: true,
      refundedQuantity: true,
      orderLine: { select: { skuId: true, feeRateBp: true } },
      ledgerEntries: { where: { kind: { in: ["sale_credit", "fee"] } }, select: { kind: true, amountFen: true } },
    },
  });
  if (allocations.length === 0) return [];
  const skuIds = [...new Set(allocations.map((a) => a.orderLine.skuId))];
  // Earliest best-before first and bounded: a select of more lots than that would not be readable anyway.
  const lots = await db.$queryRaw<(MoveTarget & { skuId: string })[]>`
    SELECT l."id", l."code", l."skuId", h."code" AS "householdCode", h."displayName" AS "householdDisplayName", l."bestBefore",
      "free_units"(l) AS "free"
    FROM "StockLot" l JOIN "Household" h ON h."id" = l."householdId"
    WHERE l."skuId" IN (${Prisma.join(skuIds)}) AND h."villageId" = ${cooperative.villageId}
      AND l."bestBefore" >= ${shopToday(now)}::date AND "free_units"(l) > 0
    ORDER BY l."bestBefore", l."receivedOn", l."code"
    LIMIT 200`;
  return allocations
    .filter((a) => a.quantity > a.refundedQuantity)
    .map((a) => {
      const units = a.quantity - a.refundedQuantity;
      const credit = a.ledgerEntries.find((e) => e.kind === "sale_credit");
      const fee = a.ledgerEntries.find((e) => e.kind === "fee");
      const transfer =
        order.status === "paid" && credit && fee
          ? reversalForRefund(
              { quantity: a.quantity, shareFen: credit.amountFen + fee.amountFen, feeFen: fee.amountFen },
              a.orderLine.feeRateBp,
              a.refundedQuantity,
              units,
            )
          : null;
      const targets = lots
        .filter((l) => l.skuId === a.orderLine.skuId && l.id !== a.lotId)
        .map(({ skuId: _skuId, ...lot }) => ({ ...lot, enough: lot.free >= units }));
      return { allocationId: a.id, units, transfer: transfer && { householdFen: transfer.householdFen, feeFen: transfer.feeFen }, targets };
    });
}
