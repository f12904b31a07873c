// Which stock lots — so which households — fill an order line. Lots are taken first-expiring-first (DOMAIN §3) under
// row locks, so concurrent buyers queue on the lots instead of racing a read against a write; the CHECK constraint
// on StockLot is the last line of defence against overselling.
import type { Prisma } from "~/db/client.server";

type Tx = Prisma.TransactionClient;

export class SoldOutError extends Error {
  constructor(
    readonly skuId: string,
    readonly available: number,
  ) {
    super(`Only ${available} units of SKU ${skuId} are available`);
  }
}

type LockedLot = { id: string; available: number };

/** Today's date in the shop's time zone, as the DATE that best-before is compared with. */
export function shopToday(now: Date) {
  return new Date(new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(now));
}

/**
 * Allocates `quantity` units of a SKU from its lots (earliest best-before first, never past it) and returns the
 * allocation rows to create. Callers lock SKUs in a fixed order (by id) so two multi-line orders cannot deadlock.
 */
export async function allocateFromLots(tx: Tx, skuId: string, quantity: number, now: Date) {
  const lots = await tx.$queryRaw<LockedLot[]>`
    SELECT "id", ("quantityReceived" - "quantityAllocated" - "quantityWrittenOff")::int AS "available"
    FROM "StockLot"
    WHERE "skuId" = ${skuId}
      AND "bestBefore" >= ${shopToday(now)}::date
      AND "quantityReceived" - "quantityAllocated" - "quantityWrittenOff" > 0
    ORDER BY "bestBefore", "receivedOn", "code"
    FOR UPDATE`;
  const available = lots.reduce((sum, lot) => sum + lot.available, 0);
  if (available < quantity) throw new SoldOutError(skuId, available);

  const taken: { lotId: string; quantity: number }[] = [];
  let remaining = quantity;
  for (const lot of lots) {
    if (remaining === 0) break;
    const take = Math.min(lot.available, remaining);
    taken.push({ lotId: lot.id, quantity: take });
    remaining -= take;
  }
  for (const { lotId, quantity: take } of taken) {
    await tx.$executeRaw`UPDATE "StockLot" SET "quantityAllocated" = "quantityAllocated" + ${take} WHERE "id" = ${lotId}`;
  }
  return taken;
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

/** Units of a SKU that can still be sold today, without locking (for display and a quick sold-out answer). */
export async function availableUnits(tx: Tx, skuId: string, now: Date) {
  const [row] = await tx.$queryRaw<{ available: number }[]>`
    SELECT COALESCE(SUM("quantityReceived" - "quantityAllocated" - "quantityWrittenOff"), 0)::int AS "available"
    FROM "StockLot" WHERE "skuId" = ${skuId} AND "bestBefore" >= ${shopToday(now)}::date`;
  return row?.available ?? 0;
}
