// Who produces what a group order offers, as buyers may see them (DOMAIN §7): the display name of each household
// that agreed to be shown, and for the others only how many households of which village group. The households are
// those with a lot of an offered SKU still fresh, or with a lot already filling one of the group order's orders.
import { db } from "~/db/client.server";
import { shopToday } from "~/utils/dates";

export type Producers = { names: string[]; groups: { group: string; count: number }[] };

export async function groupOrderProducers(groupOrderId: string, now = new Date()): Promise<Producers> {
  const rows = await db.$queryRaw<{ consentToDisplay: boolean; displayName: string | null; villageGroup: string }[]>`
    SELECT h."consentToDisplay", h."displayName", h."villageGroup"
    FROM "Household" h
    WHERE EXISTS (
      SELECT 1 FROM "StockLot" l JOIN "GroupOrderItem" i ON i."skuId" = l."skuId" AND i."groupOrderId" = ${groupOrderId}
      WHERE l."householdId" = h."id" AND (
        l."bestBefore" >= ${shopToday(now)}::date
        OR EXISTS (
          SELECT 1 FROM "Allocation" a JOIN "OrderLine" ol ON ol."id" = a."orderLineId" JOIN "Order" o ON o."id" = ol."orderId"
          WHERE a."lotId" = l."id" AND a."releasedAt" IS NULL AND o."groupOrderId" = ${groupOrderId})))
    ORDER BY h."code"`;
  const names: string[] = [];
  const groups = new Map<string, number>();
  for (const row of rows) {
    if (row.consentToDisplay && row.displayName) names.push(row.displayName);
    else groups.set(row.villageGroup, (groups.get(row.villageGroup) ?? 0) + 1);
  }
  return { names, groups: [...groups].map(([group, count]) => ({ group, count })) };
}
