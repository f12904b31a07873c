// Crediting many paid orders at once (a unit settlement of thousands of orders). The same rule as
// creditHouseholdsForPaidOrder and splitLineTotal (split.ts) — each line's total split across its live allocations in
// proportion to quantity, floors plus one fen each to the largest remainders (ties to the earlier allocation, in lot
// order: best-before, then code), then each share into the fee (round half up) and the household's income — computed
// in one INSERT … SELECT with window functions instead of a round trip per order. It writes exactly the entries the
// per-order path writes, under the same keys (`credit:<allocationId>`, `fee:<allocationId>`), so either path may
// credit an order and a replay of either writes nothing (tests/integration/ledger/batch-crediting.test.ts).
import { Prisma } from "~/db/client.server";
import { BASIS_POINTS } from "./split";
import { confirmOrderPayment, type PaymentConfirmation } from "./ledger.server";

type Tx = Prisma.TransactionClient;

export type PaidOrder = { orderId: string; paymentId: string | null };

/** Writes the sale credits and fees of these paid orders; entries already written are skipped. Answers how many it wrote. */
export async function creditHouseholdsForPaidOrders(tx: Tx, orders: PaidOrder[], now: Date): Promise<number> {
  if (orders.length === 0) return 0;
  return tx.$executeRaw`
    WITH paid AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(orders)}::jsonb) AS p("orderId" text, "paymentId" text)
    ),
    allocations AS (
      SELECT a."id" AS "allocationId", a."quantity"::bigint AS "quantity", l."householdId", pr."cooperativeId",
        p."orderId", p."paymentId", ol."id" AS "lineId", ol."lineTotalFen"::bigint AS "lineTotal", ol."feeRateBp"::bigint AS "rate",
        row_number() OVER (PARTITION BY ol."id" ORDER BY l."bestBefore", l."code") AS "position",
        SUM(a."quantity") OVER (PARTITION BY ol."id") AS "lineQuantity"
      FROM paid p
      JOIN "OrderLine" ol ON ol."orderId" = p."orderId"
      JOIN "Allocation" a ON a."orderLineId" = ol."id" AND a."releasedAt" IS NULL
      JOIN "StockLot" l ON l."id" = a."lotId"
      JOIN "Sku" s ON s."id" = ol."skuId"
      JOIN "Product" pr ON pr."id" = s."productId"
    ),
    floored AS (
      SELECT *, "lineTotal" * "quantity" / "lineQuantity" AS "floor", "lineTotal" * "quantity" % "lineQuantity" AS "remainder"
      FROM allocations
    ),
    ranked AS (
      SELECT *, "lineTotal" - SUM("floor") OVER (PARTITION BY "lineId") AS "leftover",
        row_number() OVER (PARTITION BY "lineId" ORDER BY "remainder" DESC, "position") AS "rank"
      FROM floored
    ),
    shares AS (
      SELECT *, "floor" + CASE WHEN "rank" <= "leftover" THEN 1 ELSE 0 END AS "share" FROM ranked
    ),
    split AS (
      SELECT *, (2 * "share" * "rate" + ${BASIS_POINTS}) / (2 * ${BASIS_POINTS}) AS "fee" FROM shares
    )
    INSERT INTO "LedgerEntry" ("entryKey", "kind", "householdId", "cooperativeId", "amountFen", "orderId", "allocationId", "paymentId", "occurredAt")
    SELECT 'credit:' || "allocationId", 'sale_credit'::"LedgerEntryKind", "householdId", "cooperativeId", ("share" - "fee")::int,
      "orderId", "allocationId", "paymentId", ${now}::timestamp(3)
    FROM split
    UNION ALL
    SELECT 'fee:' || "allocationId", 'fee'::"LedgerEntryKind", NULL, "cooperativeId", "fee"::int, "orderId", "allocationId", "paymentId", ${now}::timestamp(3)
    FROM split
    ON CONFLICT ("entryKey") DO NOTHING`;
}

export type BatchConfirmation = Record<PaymentConfirmation, number>;

/**
 * confirmOrderPayment for many orders in the caller's transaction: the orders are locked in id order (as every
 * path that pays an order locks it first), the unpaid ones are marked paid and credited in one pass, and the few
 * that are no longer waiting (expired or cancelled meanwhile) go through confirmOrderPayment one by one, which
 * takes stock again or flags the payment for a refund exactly as for a single late payment.
 */
export async function confirmOrderPayments(tx: Tx, orders: PaidOrder[], now: Date): Promise<BatchConfirmation> {
  const outcome: BatchConfirmation = { credited: 0, already_paid: 0, needs_refund: 0 };
  if (orders.length === 0) return outcome;
  const ids = orders.map((order) => order.orderId);
  const locked = await tx.$queryRaw<{ id: string; status: string }[]>`
    SELECT "id", "status"::text AS "status" FROM "Order" WHERE "id" = ANY(${ids}::text[]) ORDER BY "id" FOR UPDATE`;
  const status = new Map(locked.map((row) => [row.id, row.status]));
  const waiting = orders.filter((order) => status.get(order.orderId) === "pending_payment");
  const waitingIds = waiting.map((order) => order.orderId);
  await tx.$executeRaw`
    UPDATE "Order" SET "status" = 'paid', "paidAt" = ${now}, "expiresAt" = NULL, "updatedAt" = ${now}
    WHERE "id" = ANY(${waitingIds}::text[])`;
  await creditHouseholdsForPaidOrders(tx, waiting, now);
  outcome.credited = waiting.length;
  for (const order of orders) {
    const current = status.get(order.orderId);
    if (current === "pending_payment") continue;
    if (current === undefined) throw new Error(`Order ${order.orderId} not found`);
    outcome[await confirmOrderPayment(tx, order.orderId, order.paymentId, now)]++;
  }
  return outcome;
}
