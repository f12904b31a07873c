// Which stock lots — so which households — fill an order line. Lots are taken first-expiring-first (DOMAIN §3) under
// row locks, so concurrent buyers queue on the lots instead of racing a read against a write; the CHECK constraint
// on StockLot is the last line of defence against overselling. The statements themselves are SQL functions
// (prisma/migrations/20261129060000_place_order_function), shared with checkout's single-call placement.
import type { Prisma } from "~/db/client.server";
import { shopToday } from "~/utils/dates";

type Tx = Prisma.TransactionClient;

/**
 * Allocates `quantity` units of a SKU to an order line from its lots — earliest best-before first, never past it —
 * and writes the allocation rows, in one statement (the `allocate_from_lots` SQL function, which checkout's
 * `place_order` uses too): lock the lots, take what is needed, add it to their allocated count, record which lot gave
 * how many; null (and nothing taken) when the lots do not hold the whole quantity. Callers allocate lines in SKU id
 * order, so two multi-line orders cannot deadlock.
 */
export async function allocateFromLots(tx: Tx, orderLineId: string, skuId: string, quantity: number, now: Date) {
  const taken = await tx.$queryRaw<{ lotId: string; quantity: number }[]>`
    SELECT "lotId", "quantity" FROM "allocate_from_lots"(${orderLineId}, ${skuId}, ${quantity}, ${now}::timestamp, ${shopToday(now)}::date)`;
  return taken.length > 0 ? taken : null;
}

/** Returns an order's live allocations to their lots (the order expired or was cancelled before the goods left). */
export async function releaseOrderAllocations(tx: Tx, orderId: string, now: Date) {
  const live = await tx.allocation.findMany({
    where: { orderLine: { orderId }, releasedAt: null },
    select: { id: true, lotId: true, quantity: true, refundedQuantity: true },
    orderBy: { lotId: "asc" },
  });
  for (const allocation of live) {
    const units = allocation.quantity - allocation.refundedQuantity;
    if (units > 0) {
      await tx.$executeRaw`UPDATE "StockLot" SET "quantityAllocated" = "quantityAllocated" - ${units} WHERE "id" = ${allocation.lotId}`;
    }
  }
  await tx.allocation.updateMany({ where: { id: { in: live.map((a) => a.id) } }, data: { releasedAt: now } });
  return live.length;
}
