// How a household is credited. When an order becomes paid — by Stripe or by a unit settlement, always through
// confirmOrderPayment — each allocation's share of its line is split into the cooperative's fee and the household's
// income (money.ts) and written to the append-only ledger. Every entry has a deterministic key, so a replayed
// webhook or a retried request can never credit twice (DOMAIN §5.2, §5.4, §5.6).
import type { Prisma } from "~/db/client.server";
import { allocateFromLots } from "~/domain/cooperative/allocation.server";
import { recordAudit } from "~/domain/audit.server";
import { splitLineTotal } from "~/domain/ledger/split";

type Tx = Prisma.TransactionClient;

export type PaymentConfirmation = "credited" | "already_paid" | "needs_refund";

/** Writes the sale credits and fees of a paid order; entries already written are skipped, never duplicated. */
export async function creditHouseholdsForPaidOrder(tx: Tx, orderId: string, paymentId: string | null, now: Date) {
  const lines = await tx.orderLine.findMany({
    where: { orderId },
    orderBy: { id: "asc" },
    select: {
      lineTotalFen: true,
      feeRateBp: true,
      sku: { select: { product: { select: { cooperativeId: true } } } },
      allocations: {
        where: { releasedAt: null },
        // Lot order (the order stock was taken in), so a leftover fen of the split always goes the same way.
        orderBy: [{ lot: { bestBefore: "asc" } }, { lot: { code: "asc" } }],
        select: { id: true, quantity: true, lot: { select: { householdId: true } } },
      },
    },
  });
  const entries: Prisma.LedgerEntryCreateManyInput[] = [];
  for (const line of lines) {
    const cooperativeId = line.sku.product.cooperativeId;
    const parts = splitLineTotal(
      line.lineTotalFen,
      line.feeRateBp,
      line.allocations.map((a) => ({ key: a, quantity: a.quantity })),
    );
    for (const { key: allocation, feeFen, householdFen } of parts) {
      const common = { cooperativeId, orderId, allocationId: allocation.id, paymentId, occurredAt: now };
      entries.push({
        ...common,
        entryKey: `credit:${allocation.id}`,
        kind: "sale_credit",
        householdId: allocation.lot.householdId,
        amountFen: householdFen,
      });
      entries.push({ ...common, entryKey: `fee:${allocation.id}`, kind: "fee", householdId: null, amountFen: feeFen });
    }
  }
  const { count } = await tx.ledgerEntry.createMany({ data: entries, skipDuplicates: true });
  return count;
}

/**
 * The one way an order becomes paid. Locks the order, marks it paid and credits the households, all in the
 * caller's transaction. A payment that arrives after the order expired takes stock again if there is any; if not,
 * or if the order was cancelled, the order stays as it is and the payment is flagged for a refund in the audit log.
 */
export async function confirmOrderPayment(tx: Tx, orderId: string, paymentId: string | null, now: Date): Promise<PaymentConfirmation> {
  const [order] = await tx.$queryRaw<
    { status: string }[]
  >`SELECT "status"::text AS "status" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`;
  if (!order) throw new Error(`Order ${orderId} not found`);
  if (order.status === "paid" || order.status === "refunded") return "already_paid";
  if (order.status === "expired" || order.status === "cancelled") {
    // An expired order was only waiting too long and may take stock again; a cancelled one was stopped on purpose.
    const reallocated = order.status === "expired" && (await reallocateLapsedOrder(tx, orderId, now));
    if (!reallocated) {
      await recordAudit(tx, {
        actorId: null,
        action: "payment.needs_refund",
        entityType: "Order",
        entityId: orderId,
        changes: { paymentId, status: order.status },
      });
      return "needs_refund";
    }
  }
  await tx.order.update({ where: { id: orderId }, data: { status: "paid", paidAt: now, expiresAt: null } });
  await creditHouseholdsForPaidOrder(tx, orderId, paymentId, now);
  return "credited";
}

async function reallocateLapsedOrder(tx: Tx, orderId: string, now: Date) {
  const lines = await tx.orderLine.findMany({
    where: { orderId },
    orderBy: { skuId: "asc" },
    select: { id: true, skuId: true, quantity: true },
  });
  // A later line may be sold out after earlier ones took stock: the savepoint gives all of it back.
  await tx.$executeRaw`SAVEPOINT reallocate_lapsed_order`;
  for (const line of lines) {
    if (await allocateFromLots(tx, line.id, line.skuId, line.quantity, now)) continue;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT reallocate_lapsed_order`;
    return false;
  }
  return true;
}
