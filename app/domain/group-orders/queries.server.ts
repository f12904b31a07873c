// What organizers and buyers read about group orders: the open ones a unit may join, an organizer's list, the
// sign-ups dashboard and the per-SKU totals.
import { Prisma, db, queryRows } from "~/db/client.server";
import { pageCount, pageRows } from "~/domain/pages";
import { closeLapsedGroupOrders, isAdmin, type Organizer } from "./access.server";
import { effectiveState } from "./state";

export type OpenGroupOrder = {
  id: string;
  title: string;
  closesAt: Date;
  pickupPoint: string;
  deliveryDate: Date;
  allowCard: boolean;
  allowUnitSettlement: boolean;
  items: {
    skuId: string;
    perPersonLimit: number | null;
    sku: { nameZh: string; nameEn: string; priceFen: number; product: { nameZh: string; nameEn: string; slug: string } };
  }[];
};

// One statement on the pool: the home, cart and checkout pages all read it, and a rush loads them by the thousand.
const OPEN_FOR_UNIT_SQL = `
  SELECT g."id", g."title", g."closesAt" AT TIME ZONE 'UTC' AS "closesAt", g."pickupPoint",
         g."deliveryDate"::timestamp AT TIME ZONE 'UTC' AS "deliveryDate", g."allowCard", g."allowUnitSettlement",
         COALESCE((
           SELECT json_agg(json_build_object(
                    'skuId', i."skuId", 'perPersonLimit', i."perPersonLimit",
                    'sku', json_build_object('nameZh', s."nameZh", 'nameEn', s."nameEn", 'priceFen', s."priceFen",
                      'product', json_build_object('nameZh', p."nameZh", 'nameEn', p."nameEn", 'slug', p."slug")))
                    ORDER BY p."createdAt", s."priceFen", i."skuId")
           FROM "GroupOrderItem" i JOIN "Sku" s ON s."id" = i."skuId" JOIN "Product" p ON p."id" = s."productId"
           WHERE i."groupOrderId" = g."id"), '[]'::json) AS "items"
  FROM "GroupOrder" g
  WHERE g."status" = 'open' AND g."opensAt" <= ($2::timestamptz AT TIME ZONE 'UTC') AND g."closesAt" > ($2::timestamptz AT TIME ZONE 'UTC')
    AND EXISTS (SELECT 1 FROM "GroupOrderUnit" gu WHERE gu."groupOrderId" = g."id" AND gu."unitId" = $1)
  ORDER BY g."closesAt", g."id"`;

/**
 * Group orders open now to which the unit is invited, soonest closing first, with what they offer (in the shop's
 * order: product, then price), their limits and payment modes: what the home page shows a buyer and what checkout
 * lets them join.
 */
export function listOpenGroupOrdersForUnit(unitId: string, now = new Date()): Promise<OpenGroupOrder[]> {
  return queryRows<OpenGroupOrder>("GroupOrder.openForUnit", OPEN_FOR_UNIT_SQL, [unitId, now.toISOString()]);
}

/** The units an organizer may invite: their own, or every unit for an admin. */
export function unitsForOrganizer(user: Organizer) {
  return db.unit.findMany({
    where: isAdmin(user) ? {} : { id: user.unitId ?? "-" },
    orderBy: { code: "asc" },
    select: { id: true, name: true, nameEn: true },
  });
}

/** The SKUs a group order can offer. */
export function skusForGroupOrders() {
  return db.sku.findMany({
    where: { active: true },
    orderBy: [{ product: { nameZh: "asc" } }, { code: "asc" }],
    select: { id: true, nameZh: true, nameEn: true, priceFen: true, product: { select: { nameZh: true, nameEn: true } } },
  });
}

export async function listGroupOrdersForOrganizer(user: Organizer, now = new Date()) {
  await closeLapsedGroupOrders(now);
  const groups = await db.groupOrder.findMany({
    where: isAdmin(user) ? {} : { OR: [{ organizerId: user.id }, ...(user.unitId ? [{ units: { some: { unitId: user.unitId } } }] : [])] },
    orderBy: { opensAt: "desc" },
    take: 100,
    select: {
      id: true,
      title: true,
      status: true,
      opensAt: true,
      closesAt: true,
      pickupPoint: true,
      deliveryDate: true,
      organizerId: true,
      _count: { select: { orders: true } },
    },
  });
  // An invited unit's organizer counts their own members' orders only, as the group order's page shows them.
  const invitedIds = groups.filter((group) => !isAdmin(user) && group.organizerId !== user.id).map((group) => group.id);
  const ownCounts = invitedIds.length
    ? await db.order.groupBy({
        by: ["groupOrderId"],
        where: { groupOrderId: { in: invitedIds }, unitId: user.unitId },
        _count: { _all: true },
      })
    : [];
  const own = new Map(ownCounts.map((row) => [row.groupOrderId, row._count._all]));
  return groups.map(({ organizerId: _, ...group }) => ({
    ...group,
    _count: { orders: invitedIds.includes(group.id) ? (own.get(group.id) ?? 0) : group._count.orders },
    state: effectiveState(group, now),
  }));
}

/** Orders that still count: placed and not given up (pending payment or paid). */
export const LIVE_ORDER_STATUSES = ["pending_payment", "paid"] as const;

export const DASHBOARD_PAGE_SIZE = 20;

/** The sign-ups of a group order: every unit's, or (`unitScope`) one unit's members' only. */
export async function groupOrderDashboard(groupOrderId: string, { q, page }: { q: string; page: number }, unitScope: string | null = null) {
  const search = q.trim();
  const scope: Prisma.OrderWhereInput = { groupOrderId, ...(unitScope === null ? {} : { unitId: unitScope }) };
  const where: Prisma.OrderWhereInput = {
    ...scope,
    ...(search
      ? { OR: [{ number: { contains: search, mode: "insensitive" } }, { user: { name: { contains: search, mode: "insensitive" } } }] }
      : {}),
  };
  const [count, orders, byStatus, skuTotals, participants] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({
      where,
      orderBy: { createdAt: "asc" },
      ...pageRows(page, DASHBOARD_PAGE_SIZE),
      select: {
        id: true,
        number: true,
        status: true,
        fulfilmentStatus: true,
        paymentMethod: true,
        totalFen: true,
        createdAt: true,
        user: { select: { name: true } },
        unit: { select: { name: true, nameEn: true } },
        lines: {
          select: { quantity: true, sku: { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } } } },
        },
      },
    }),
    db.order.groupBy({ by: ["status", "paymentMethod"], where: scope, _count: { _all: true }, _sum: { totalFen: true } }),
    skuTotalsFor(groupOrderId, unitScope),
    db.order.findMany({
      where: { ...scope, status: { in: [...LIVE_ORDER_STATUSES] } },
      distinct: ["userId"],
      select: { userId: true },
    }),
  ]);
  return {
    orders,
    count,
    pages: pageCount(count, DASHBOARD_PAGE_SIZE),
    byStatus,
    skuTotals,
    participants: participants.length,
  };
}

/** Units and money per SKU over the live orders of a group order (of one unit's members, with `unitScope`). */
export async function skuTotalsFor(groupOrderId: string, unitScope: string | null = null) {
  const rows = await db.$queryRaw<
    {
      skuId: string;
      skuZh: string;
      skuEn: string;
      productZh: string;
      productEn: string;
      quantity: number;
      totalFen: number;
      paidQuantity: number;
    }[]
  >`
    SELECT s."id" AS "skuId", s."nameZh" AS "skuZh", s."nameEn" AS "skuEn", p."nameZh" AS "productZh", p."nameEn" AS "productEn",
           SUM(l."quantity")::int AS "quantity", SUM(l."lineTotalFen")::int AS "totalFen",
           COALESCE(SUM(l."quantity") FILTER (WHERE o."status" = 'paid'), 0)::int AS "paidQuantity"
    FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id" JOIN "Sku" s ON s."id" = l."skuId" JOIN "Product" p ON p."id" = s."productId"
    WHERE o."groupOrderId" = ${groupOrderId} AND o."status" IN ('pending_payment', 'paid')
      ${unitScope === null ? Prisma.empty : Prisma.sql`AND o."unitId" = ${unitScope}`}
    GROUP BY s."id", p."nameZh", p."nameEn" ORDER BY p."nameZh", s."nameZh"`;
  return rows;
}
