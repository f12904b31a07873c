// What a buyer sees of their orders, and of the households their purchases credited. Ownership is part of every
// query (`userId` in the where clause), so one buyer can never read another's order.
import { db, queryRows } from "~/db/client.server";
import type { FulfilmentStatus, OrderStatus, PaymentMethod, ReceiptConfirmer } from "~/db/generated/enums";
import { pageCount, pageRows } from "~/domain/pages";
import { AUTO_RECEIPT_SETTING, autoReceiptDaysOf } from "~/domain/purchases/receipt.server";

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

type Timestamp = Date | null;

type OrderPageRow = {
  number: string;
  status: OrderStatus;
  fulfilmentStatus: FulfilmentStatus;
  paymentMethod: PaymentMethod;
  deliveryFeeFen: number;
  totalFen: number;
  recipientName: string | null;
  address: string | null;
  expiresAt: Timestamp;
  createdAt: Date;
  paidAt: Timestamp;
  packedAt: Timestamp;
  shippedAt: Timestamp;
  deliveredAt: Timestamp;
  cancelledAt: Timestamp;
  receivedAt: Timestamp;
  receivedBy: ReceiptConfirmer | null;
  groupOrder: { pickupPoint: string; deliveryDate: string } | null;
  lines: { id: string; quantity: number; refundedQuantity: number; lineTotalFen: number; nameZh: string; nameEn: string }[];
  refunds: {
    id: string;
    amountFen: number;
    createdAt: string;
    lines: { quantity: number; amountFen: number; nameZh: string; nameEn: string }[];
  }[];
  households: { displayName: string | null; villageGroup: string; story: string | null; storyEn: string | null; amountFen: number }[];
  countedAt: Timestamp;
  ratings: Record<string, { stars: number; comment: string | null; hidden: boolean }>;
  autoDays: unknown;
};

/** One of the order's instants: its columns hold UTC without a zone. */
const orderInstant = (column: string) => `o."${column}" AT TIME ZONE 'UTC' AS "${column}"`;
const skuName = (language: "Zh" | "En") => `p."name${language}" || ' ' || s."name${language}"`;

// The whole order page in one statement on the pool (docs/decisions/0021-page-reads-on-the-pool.md): the order, its
// lines and refunds with the SKUs' names, the households it credited (net of reversals; a household that did not
// consent to be shown only by village group, DOMAIN §7), when it counted, its ratings and the auto-receipt setting.
// Instants inside JSON carry their offset (AT TIME ZONE 'UTC' makes them timestamptz), so they parse the same anywhere.
const ORDER_PAGE_SQL = `
  SELECT o."number", o."status"::text AS "status", o."fulfilmentStatus"::text AS "fulfilmentStatus",
         o."paymentMethod"::text AS "paymentMethod", o."deliveryFeeFen", o."totalFen", o."recipientName", o."address",
         ${["expiresAt", "createdAt", "paidAt", "packedAt", "shippedAt", "deliveredAt", "cancelledAt", "receivedAt"].map(orderInstant).join(", ")},
         o."receivedBy"::text AS "receivedBy",
         (SELECT json_build_object('pickupPoint', g."pickupPoint", 'deliveryDate', g."deliveryDate"::timestamp AT TIME ZONE 'UTC')
          FROM "GroupOrder" g WHERE g."id" = o."groupOrderId") AS "groupOrder",
         COALESCE((SELECT json_agg(json_build_object('id', l."id", 'quantity', l."quantity", 'refundedQuantity', l."refundedQuantity",
                                                     'lineTotalFen', l."lineTotalFen", 'nameZh', ${skuName("Zh")}, 'nameEn', ${skuName("En")})
                                   ORDER BY l."id")
                   FROM "OrderLine" l JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId"
                   WHERE l."orderId" = o."id"), '[]'::json) AS "lines",
         COALESCE((SELECT json_agg(json_build_object(
                            'id', r."id", 'amountFen', r."amountFen", 'createdAt', r."createdAt" AT TIME ZONE 'UTC',
                            'lines', (SELECT COALESCE(json_agg(json_build_object('quantity', rl."quantity", 'amountFen', rl."amountFen",
                                                                                 'nameZh', ${skuName("Zh")}, 'nameEn', ${skuName("En")})
                                                               ORDER BY rl."orderLineId"), '[]'::json)
                                      FROM "RefundLine" rl JOIN "OrderLine" l ON l."id" = rl."orderLineId"
                                      JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId"
                                      WHERE rl."refundId" = r."id"))
                            ORDER BY r."createdAt", r."id")
                   FROM "Refund" r WHERE r."orderId" = o."id"), '[]'::json) AS "refunds",
         COALESCE((SELECT json_agg(json_build_object(
                            'displayName', CASE WHEN h."consentToDisplay" THEN h."displayName" END,
                            'villageGroup', COALESCE(h."villageGroup", ''),
                            'story', CASE WHEN h."consentToDisplay" THEN h."story" END,
                            'storyEn', CASE WHEN h."consentToDisplay" THEN h."storyEn" END,
                            'amountFen', c."amountFen")
                            ORDER BY c."amountFen" DESC, c."householdId")
                   FROM (SELECT e."householdId", SUM(e."amountFen")::int AS "amountFen" FROM "LedgerEntry" e
                         WHERE e."orderId" = o."id" AND e."kind" IN ('sale_credit', 'sale_reversal') GROUP BY e."householdId") c
                   LEFT JOIN "Household" h ON h."id" = c."householdId"
                   WHERE c."amountFen" > 0), '[]'::json) AS "households",
         (SELECT MAX(pl."countedAt") FROM "purchase_lines"($3::timestamp) pl WHERE pl."orderId" = o."id") AT TIME ZONE 'UTC' AS "countedAt",
         COALESCE((SELECT json_object_agg(lr."orderLineId", json_build_object(
                            'stars', lr."stars", 'comment', CASE WHEN lr."hiddenAt" IS NULL THEN lr."comment" END,
                            'hidden', lr."hiddenAt" IS NOT NULL))
                   FROM "LineRating" lr JOIN "OrderLine" l ON l."id" = lr."orderLineId" WHERE l."orderId" = o."id"), '{}'::json) AS "ratings",
         (SELECT b."value" FROM "BureauSetting" b WHERE b."key" = $4) AS "autoDays"
  FROM "Order" o
  WHERE o."number" = $1 AND o."userId" = $2`;

/**
 * One of the buyer's orders as its page shows it: the lines as bought (with the units since refunded), each refund
 * with what it gave back (the delivery fee goes back with the last unit), the total net of refunds, the households it
 * credited, when it counted toward the unit's target and the buyer's ratings. Null when the buyer has no order of
 * that number.
 */
export async function getOrderPageForBuyer(userId: string, number: string, now = new Date()) {
  const [row] = await queryRows<OrderPageRow>("Order.page", ORDER_PAGE_SQL, [number, userId, now.toISOString(), AUTO_RECEIPT_SETTING]);
  if (!row) return null;
  const { groupOrder, refunds, households, countedAt, ratings, autoDays, ...order } = row;
  return {
    order: {
      ...order,
      groupOrder: groupOrder && { pickupPoint: groupOrder.pickupPoint, deliveryDate: new Date(groupOrder.deliveryDate) },
      ...netOf(row),
      // A card order can be paid (again) until its payment window closes.
      payable: order.status === "pending_payment" && order.paymentMethod === "card" && order.expiresAt !== null && order.expiresAt > now,
      refunds: refunds.map((refund) => ({
        ...refund,
        createdAt: new Date(refund.createdAt),
        deliveryFeeFen: refund.amountFen - refund.lines.reduce((sum, line) => sum + line.amountFen, 0),
      })),
    },
    households,
    receipt: { countedAt, autoDays: autoReceiptDaysOf(autoDays) },
    ratings,
  };
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
