// What a buyer sees of their orders, and of the households their purchases credited. Ownership is part of every
// query (`userId` in the where clause), so one buyer can never read another's order.
import { db } from "~/db/client.server";
import { pageCount, pageRows } from "~/domain/pages";

export const ORDERS_PAGE_SIZE = 10;

const skuNames = { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } } } as const;

type SkuNames = { nameZh: string; nameEn: string; product: { nameZh: string; nameEn: string } };

/** "无公害桃 5公斤" in both languages, as an order line shows it. */
const lineNames = (sku: SkuNames) => ({ nameZh: `${sku.product.nameZh} ${sku.nameZh}`, nameEn: `${sku.product.nameEn} ${sku.nameEn}` });

/** What a buyer paid after refunds: a partial refund leaves the order paid, but the money came back. */
function netOf(order: { totalFen: number; refunds: { amountFen: number }[] }) {
  const refundedFen = order.refunds.reduce((sum, refund) => sum + refund.amountFen, 0);
  return { refundedFen, netFen: order.totalFen - refundedFen };
}

/** A buyer's orders, newest first: each with its lines (and the units refunded) and its total net of refunds. */
export async function listOrdersForUser(userId: string, page: number) {
  const where = { userId };
  const [total, orders] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({
      where,
      orderBy: { createdAt: "desc" },
      ...pageRows(page, ORDERS_PAGE_SIZE),
      select: {
        number: true,
        status: true,
        fulfilmentStatus: true,
        totalFen: true,
        createdAt: true,
        lines: { orderBy: { id: "asc" }, select: { quantity: true, refundedQuantity: true, sku: skuNames } },
        refunds: { select: { amountFen: true } },
      },
    }),
  ]);
  return {
    total,
    pages: pageCount(total, ORDERS_PAGE_SIZE),
    orders: orders.map(({ lines, refunds, ...order }) => ({
      ...order,
      ...netOf({ totalFen: order.totalFen, refunds }),
      lines: lines.map(({ sku, ...line }) => ({ ...line, ...lineNames(sku) })),
    })),
  };
}

/**
 * One of the buyer's orders as its page shows it: the lines as bought (with the units since refunded), each refund
 * with what it gave back (the delivery fee goes back with the last unit), and the total net of refunds. Null when
 * the buyer has no order of that number.
 */
export async function getOrderForBuyer(userId: string, number: string, now = new Date()) {
  const order = await db.order.findFirst({
    where: { number, userId },
    select: {
      id: true,
      number: true,
      status: true,
      fulfilmentStatus: true,
      paymentMethod: true,
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
      receivedAt: true,
      receivedBy: true,
      groupOrder: { select: { pickupPoint: true, deliveryDate: true } },
      lines: {
        orderBy: { id: "asc" },
        select: { id: true, quantity: true, refundedQuantity: true, lineTotalFen: true, sku: skuNames },
      },
      refunds: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          amountFen: true,
          createdAt: true,
          lines: { orderBy: { orderLineId: "asc" }, select: { quantity: true, amountFen: true, orderLine: { select: { sku: skuNames } } } },
        },
      },
    },
  });
  if (!order) return null;
  const { lines, refunds, ...rest } = order;
  return {
    ...rest,
    ...netOf(order),
    // A card order can be paid (again) until its payment window closes.
    payable: order.status === "pending_payment" && order.paymentMethod === "card" && order.expiresAt !== null && order.expiresAt > now,
    lines: lines.map(({ sku, ...line }) => ({ ...line, ...lineNames(sku) })),
    refunds: refunds.map(({ lines: refundLines, ...refund }) => ({
      ...refund,
      lines: refundLines.map(({ orderLine, ...line }) => ({ ...line, ...lineNames(orderLine.sku) })),
      deliveryFeeFen: refund.amountFen - refundLines.reduce((sum, line) => sum + line.amountFen, 0),
    })),
  };
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
