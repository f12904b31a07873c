// What a buyer sees of their orders, and of the households their purchases credited. Ownership is part of every
// query (`userId` in the where clause), so one buyer can never read another's order.
import { db } from "~/db/client.server";

export const ORDERS_PAGE_SIZE = 10;

export async function listOrdersForUser(userId: string, page: number) {
  const where = { userId };
  const [total, orders] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * ORDERS_PAGE_SIZE,
      take: ORDERS_PAGE_SIZE,
      select: {
        number: true,
        status: true,
        fulfilmentStatus: true,
        totalFen: true,
        createdAt: true,
        groupOrder: { select: { title: true } },
        lines: {
          select: { quantity: true, sku: { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } } } },
        },
      },
    }),
  ]);
  return { total, pages: Math.max(1, Math.ceil(total / ORDERS_PAGE_SIZE)), orders };
}

export function getOrderForBuyer(userId: string, number: string) {
  return db.order.findFirst({
    where: { number, userId },
    select: {
      id: true,
      number: true,
      status: true,
      fulfilment: true,
      fulfilmentStatus: true,
      paymentMethod: true,
      subtotalFen: true,
      deliveryFeeFen: true,
      totalFen: true,
      recipientName: true,
      address: true,
      expiresAt: true,
      createdAt: true,
      paidAt: true,
      packedAt: true,
      shippedAt: true,
      deliveredAt: true,
      cancelledAt: true,
      groupOrder: { select: { title: true, pickupPoint: true, deliveryDate: true } },
      lines: {
        orderBy: { id: "asc" },
        select: {
          id: true,
          quantity: true,
          refundedQuantity: true,
          unitPriceFen: true,
          lineTotalFen: true,
          sku: { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true, slug: true } } } },
        },
      },
    },
  });
}

/**
 * Net income each household received from one order (credits less reversals). Households that did not consent to
 * be shown appear only by village group — an employee never sees a household's name or code otherwise (DOMAIN §7).
 */
export async function householdsCreditedByOrder(orderId: string) {
  const rows = await db.ledgerEntry.groupBy({
    by: ["householdId"],
    where: { orderId, kind: { in: ["sale_credit", "sale_reversal"] } },
    _sum: { amountFen: true },
  });
  const ids = rows.map((r) => r.householdId).filter((id): id is string => id !== null);
  const households = await db.household.findMany({
    where: { id: { in: ids } },
    select: { id: true, consentToDisplay: true, displayName: true, villageGroup: true, story: true, storyEn: true },
  });
  const byId = new Map(households.map((h) => [h.id, h]));
  return rows
    .map((row) => {
      const household = byId.get(row.householdId ?? "");
      const shown = household?.consentToDisplay ?? false;
      return {
        displayName: shown ? (household?.displayName ?? null) : null,
        villageGroup: household?.villageGroup ?? "",
        story: shown ? (household?.story ?? null) : null,
        storyEn: shown ? (household?.storyEn ?? null) : null,
        amountFen: row._sum.amountFen ?? 0,
      };
    })
    .filter((h) => h.amountFen > 0)
    .sort((a, b) => b.amountFen - a.amountFen);
}

/** "Your purchases credited ¥X to N households": net credits over all of a buyer's orders. */
export async function creditedSummaryForUser(userId: string) {
  const rows = await db.ledgerEntry.groupBy({
    by: ["householdId"],
    where: { order: { userId }, kind: { in: ["sale_credit", "sale_reversal"] } },
    _sum: { amountFen: true },
  });
  const positive = rows.filter((r) => (r._sum.amountFen ?? 0) > 0);
  return { totalFen: positive.reduce((sum, r) => sum + (r._sum.amountFen ?? 0), 0), households: positive.length };
}
