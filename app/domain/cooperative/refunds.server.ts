// Refunding a paid order, fully or for k units of a line (DOMAIN §4, §5.3, §5.4).
//
// Which allocations lose units: the most recently allocated first (LIFO) — latest createdAt, and among the
// allocations of one checkout (same createdAt) the lot taken last (latest best-before, received date, code). The
// lots that were taken first keep their sale, so a partial refund takes back the sale the FIFO allocation made last.
//
// Per affected allocation the reversal is `reversalForRefund` of its original credit (read from the ledger entries
// `credit:<allocationId>` and `fee:<allocationId>`), written as `reversal:<refundId>:<allocationId>` (household,
// negative) and `fee-reversal:<refundId>:<allocationId>` (cooperative, negative). Units go back to their lot only
// while the goods have not left (unfulfilled or packed).
//
// Idempotency: the refund's id is derived from the order and the request's idempotency key, so a retried request
// finds the refund it already made (Refund.idempotencyKey is unique) and Stripe sees the same idempotency key
// `refund:<refundId>` even when a first attempt's commit failed after Stripe had refunded. Card refunds are sent to
// Stripe inside the transaction that holds the order's row lock, last, so a refused Stripe call writes nothing;
// refunds are rare manual operations, so holding one order's lock for one API call is cheap.
import { createHash } from "node:crypto";
import Stripe from "stripe";
import { DomainError } from "~/domain/errors";
import type { MessageParams } from "~/i18n/i18n";
import { db, type Prisma } from "~/db/client.server";
import { recordAudit } from "~/domain/audit.server";
import { assertOrderOfVillage, missing } from "./scope.server";
import { reversalForRefund } from "~/domain/ledger/split";
import { stripeClient } from "~/domain/payments/stripe.server";

type Tx = Prisma.TransactionClient;

export type RefundFailure =
  | "not_refundable"
  | "nothing_to_refund"
  | "too_many_units"
  | "unknown_line"
  | "no_payment"
  | "key_reused"
  | "card_not_configured"
  | "stripe_refused";

/** The form field a refusal is about, so the refund form shows it there. */
const FAILURE_FIELD: Partial<Record<RefundFailure, string>> = { too_many_units: "quantity", unknown_line: "orderLineId" };

/** A refund refused: 502 when Stripe said no, otherwise the order (or what is left of it) does not allow it, 409. */
function refused(reason: RefundFailure, { params, cause }: { params?: MessageParams; cause?: unknown } = {}) {
  return new DomainError(`cooperative.errors.refund.${reason}`, {
    status: reason === "stripe_refused" ? 502 : 409,
    field: FAILURE_FIELD[reason],
    params,
    cause,
  });
}

export type RefundRequest = {
  orderId: string;
  actorId: string;
  /** The coop user's village: orders of another village's cooperative are refused. */
  villageId: string | null;
  idempotencyKey: string;
  reason: string;
  /** Units per order line; omitted = every unit not yet refunded (a full refund). */
  lines?: { orderLineId: string; quantity: number }[];
  now?: Date;
};

export type RefundResult = { refundId: string; amountFen: number; orderStatus: string; replayed: boolean };

/** Deterministic per order and request key, so retries reuse it (and Stripe's idempotency key with it). */
export function refundIdFor(orderId: string, idempotencyKey: string) {
  return `rf_${createHash("sha256").update(`${orderId}\0${idempotencyKey}`).digest("hex").slice(0, 24)}`;
}

export async function refundOrder(request: RefundRequest): Promise<RefundResult> {
  const now = request.now ?? new Date();
  const refundId = refundIdFor(request.orderId, request.idempotencyKey);
  const existing = await findReplay(refundId, request);
  if (existing) return existing;
  try {
    return await db.$transaction((tx) => refundInTransaction(tx, request, refundId, now), { timeout: 30_000, maxWait: 10_000 });
  } catch (error) {
    // A concurrent retry of the same request committed first: answer with its refund.
    const replay = await findReplay(refundId, request);
    if (replay) return replay;
    throw error;
  }
}

async function findReplay(refundId: string, request: RefundRequest): Promise<RefundResult | null> {
  const refund = await db.refund.findUnique({
    where: { id: refundId },
    select: {
      amountFen: true,
      orderId: true,
      order: { select: { status: true } },
      lines: { select: { orderLineId: true, quantity: true } },
    },
  });
  if (!refund) return null;
  if (request.lines) {
    const asked = new Map(request.lines.map((l) => [l.orderLineId, l.quantity]));
    const same = refund.lines.length === asked.size && refund.lines.every((l) => asked.get(l.orderLineId) === l.quantity);
    if (!same) throw refused("key_reused");
  }
  return { refundId, amountFen: refund.amountFen, orderStatus: refund.order.status, replayed: true };
}

type LineRow = {
  id: string;
  quantity: number;
  refundedQuantity: number;
  feeRateBp: number;
  cooperativeId: string;
};

async function refundInTransaction(tx: Tx, request: RefundRequest, refundId: string, now: Date): Promise<RefundResult> {
  const [order] = await tx.$queryRaw<{ status: string; fulfilmentStatus: string; deliveryFeeFen: number }[]>`
    SELECT "status"::text AS "status", "fulfilmentStatus"::text AS "fulfilmentStatus", "deliveryFeeFen"
    FROM "Order" WHERE "id" = ${request.orderId} FOR UPDATE`;
  if (!order) throw missing();
  await assertOrderOfVillage(tx, request.orderId, request.villageId);
  if (order.status === "refunded") throw refused("nothing_to_refund");
  if (order.status !== "paid") throw refused("not_refundable");

  const lines = (
    await tx.orderLine.findMany({
      where: { orderId: request.orderId },
      orderBy: { id: "asc" },
      select: {
        id: true,
        quantity: true,
        refundedQuantity: true,
        feeRateBp: true,
        sku: { select: { product: { select: { cooperativeId: true } } } },
      },
    })
  ).map((l): LineRow => ({
    id: l.id,
    quantity: l.quantity,
    refundedQuantity: l.refundedQuantity,
    feeRateBp: l.feeRateBp,
    cooperativeId: l.sku.product.cooperativeId,
  }));
  const wanted = unitsToRefund(lines, request.lines);

  const payment = await tx.payment.findFirst({
    where: { orderId: request.orderId, status: { in: ["succeeded", "partially_refunded"] } },
    orderBy: { createdAt: "asc" },
    select: { id: true, method: true, stripePaymentIntentId: true },
  });
  if (!payment) throw refused("no_payment");

  const goodsStillHere = order.fulfilmentStatus === "unfulfilled" || order.fulfilmentStatus === "packed";
  const entries: Prisma.LedgerEntryCreateManyInput[] = [];
  const refundLines: { orderLineId: string; quantity: number; amountFen: number }[] = [];
  for (const line of lines) {
    const units = wanted.get(line.id);
    if (!units) continue;
    let lineAmount = 0;
    for (const take of await takeLastAllocatedFirst(tx, line.id, units)) {
      const reversal = reversalForRefund(take.share, line.feeRateBp, take.refundedBefore, take.units);
      const common = {
        cooperativeId: line.cooperativeId,
        orderId: request.orderId,
        allocationId: take.allocationId,
        paymentId: payment.id,
        refundId,
        occurredAt: now,
      };
      if (reversal.householdFen !== 0) {
        entries.push({
          ...common,
          entryKey: `reversal:${refundId}:${take.allocationId}`,
          kind: "sale_reversal",
          householdId: take.householdId,
          amountFen: -reversal.householdFen,
        });
      }
      if (reversal.feeFen !== 0) {
        entries.push({
          ...common,
          entryKey: `fee-reversal:${refundId}:${take.allocationId}`,
          kind: "fee_reversal",
          householdId: null,
          amountFen: -reversal.feeFen,
        });
      }
      lineAmount += reversal.shareFen;
      await tx.allocation.update({ where: { id: take.allocationId }, data: { refundedQuantity: { increment: take.units } } });
      if (goodsStillHere) {
        await tx.$executeRaw`UPDATE "StockLot" SET "quantityAllocated" = "quantityAllocated" - ${take.units} WHERE "id" = ${take.lotId}`;
      }
    }
    await tx.orderLine.update({ where: { id: line.id }, data: { refundedQuantity: { increment: units } } });
    refundLines.push({ orderLineId: line.id, quantity: units, amountFen: lineAmount });
  }

  const fullyRefunded = lines.every((l) => l.refundedQuantity + (wanted.get(l.id) ?? 0) === l.quantity);
  // The delivery fee is the buyer's money too: it goes back with the refund that refunds the last unit.
  const amountFen = refundLines.reduce((sum, l) => sum + l.amountFen, 0) + (fullyRefunded ? order.deliveryFeeFen : 0);

  await tx.refund.create({
    data: {
      id: refundId,
      orderId: request.orderId,
      paymentId: payment.id,
      amountFen,
      reason: request.reason,
      idempotencyKey: `${request.orderId}:${request.idempotencyKey}`,
      createdById: request.actorId,
      createdAt: now,
      lines: { create: refundLines },
    },
  });
  await tx.ledgerEntry.createMany({ data: entries });
  const orderStatus = fullyRefunded ? "refunded" : "paid";
  if (fullyRefunded) await tx.order.update({ where: { id: request.orderId }, data: { status: "refunded" } });
  await tx.payment.update({ where: { id: payment.id }, data: { status: fullyRefunded ? "refunded" : "partially_refunded" } });
  await recordAudit(tx, {
    actorId: request.actorId,
    action: "order.refund",
    entityType: "Order",
    entityId: request.orderId,
    changes: { refundId, amountFen, lines: refundLines, reason: request.reason },
  });

  if (payment.method === "card") {
    const stripeRefundId = await refundThroughStripe(payment.stripePaymentIntentId, amountFen, refundId, request.orderId);
    await tx.refund.update({ where: { id: refundId }, data: { stripeRefundId } });
  }
  return { refundId, amountFen, orderStatus, replayed: false };
}

/** The units to refund per line; every request is checked against what remains before anything is written. */
function unitsToRefund(lines: LineRow[], asked: RefundRequest["lines"]) {
  const wanted = new Map<string, number>();
  if (!asked) {
    for (const line of lines) if (line.quantity > line.refundedQuantity) wanted.set(line.id, line.quantity - line.refundedQuantity);
  } else {
    for (const { orderLineId, quantity } of asked) {
      const line = lines.find((l) => l.id === orderLineId);
      if (!line) throw refused("unknown_line");
      const total = (wanted.get(orderLineId) ?? 0) + quantity;
      const remaining = line.quantity - line.refundedQuantity;
      if (!Number.isSafeInteger(quantity) || quantity <= 0 || total > remaining)
        throw refused("too_many_units", { params: { count: remaining } });
      wanted.set(orderLineId, total);
    }
  }
  if (wanted.size === 0) throw refused("nothing_to_refund");
  return wanted;
}

/** The allocations that give up `units`, last allocated first (see the file's header), with their original credit. */
async function takeLastAllocatedFirst(tx: Tx, orderLineId: string, units: number) {
  const allocations = await tx.allocation.findMany({
    where: { orderLineId, releasedAt: null },
    orderBy: [{ createdAt: "desc" }, { lot: { bestBefore: "desc" } }, { lot: { receivedOn: "desc" } }, { lot: { code: "desc" } }],
    select: {
      id: true,
      lotId: true,
      quantity: true,
      refundedQuantity: true,
      lot: { select: { householdId: true } },
      ledgerEntries: { where: { kind: { in: ["sale_credit", "fee"] } }, select: { kind: true, amountFen: true } },
    },
  });
  const takes = [];
  let left = units;
  for (const allocation of allocations) {
    if (left === 0) break;
    const available = allocation.quantity - allocation.refundedQuantity;
    if (available <= 0) continue;
    const credit = allocation.ledgerEntries.find((e) => e.kind === "sale_credit");
    const fee = allocation.ledgerEntries.find((e) => e.kind === "fee");
    if (!credit || !fee) throw new Error(`Allocation ${allocation.id} of a paid line has no credit in the ledger`);
    const take = Math.min(available, left);
    takes.push({
      allocationId: allocation.id,
      lotId: allocation.lotId,
      householdId: allocation.lot.householdId,
      share: { quantity: allocation.quantity, shareFen: credit.amountFen + fee.amountFen, feeFen: fee.amountFen },
      refundedBefore: allocation.refundedQuantity,
      units: take,
    });
    left -= take;
  }
  if (left > 0) throw refused("too_many_units", { params: { count: units - left } });
  return takes;
}

async function refundThroughStripe(paymentIntent: string | null, amountFen: number, refundId: string, orderId: string) {
  const stripe = stripeClient();
  if (!stripe) throw refused("card_not_configured");
  if (!paymentIntent) throw refused("no_payment");
  try {
    const refund = await stripe.refunds.create(
      { payment_intent: paymentIntent, amount: amountFen, metadata: { orderId, refundId } },
      { idempotencyKey: `refund:${refundId}` },
    );
    return refund.id;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) throw refused("stripe_refused", { cause: error });
    throw error;
  }
}
