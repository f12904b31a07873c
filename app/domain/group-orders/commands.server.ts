import { Prisma, db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import type { Locale } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import { forbidden, notFound } from "~/utils/responses.server";
import { releaseOrderAllocations } from "~/domain/cooperative/allocation.server";
import { recordAudit } from "~/domain/audit.server";
import {
  canApply,
  effectiveState,
  needsLazyClose,
  nextState,
  scheduleProblems,
  type GroupOrderCommand,
  type GroupOrderState,
  type ScheduleProblem,
} from "./state";
import { notifyGroupOrderBuyers } from "~/domain/notifications.server";
import { expireCheckoutSessions } from "~/domain/payments/stripe.server";
import { RefundError, refundOrder } from "~/domain/cooperative/refunds.server";

/**
 * Group orders open now to which the unit is invited, soonest closing first, with what they offer, their limits and
 * payment modes: what the home page shows a buyer and what checkout lets them join.
 */
export function listOpenGroupOrdersForUnit(unitId: string, now = new Date()) {
  return db.groupOrder.findMany({
    where: { status: "open", opensAt: { lte: now }, closesAt: { gt: now }, units: { some: { unitId } } },
    orderBy: { closesAt: "asc" },
    select: {
      id: true,
      title: true,
      closesAt: true,
      pickupPoint: true,
      deliveryDate: true,
      allowCard: true,
      allowUnitSettlement: true,
      items: {
        select: {
          skuId: true,
          perPersonLimit: true,
          sku: { select: { nameZh: true, nameEn: true, priceFen: true, product: { select: { nameZh: true, nameEn: true, slug: true } } } },
        },
      },
    },
  });
}

// —— Organizing a group order ————————————————————————————————————————————————————————————————————————————————
// Who may see and change a group order: an admin; otherwise an organizer who runs it or who belongs to one of the
// units it invites (a unit's organizers share its group orders). Anyone else gets 403, decided here rather than in
// each route.

export type Organizer = { id: string; unitId: string | null; roles: Role[] };

export type NewGroupOrderInput = {
  title: string;
  unitIds: string[];
  items: { skuId: string; perPersonLimit: number | null }[];
  opensAt: Date;
  closesAt: Date;
  pickupPoint: string;
  deliveryDate: Date;
  paymentModes: "card" | "unit_settlement" | "both";
};

export type GroupOrderProblem =
  | ScheduleProblem
  | "unitNotAllowed"
  | "unknownUnit"
  | "noItems"
  | "unknownSku"
  | "mixedCooperatives"
  | "notAllowedNow"
  | "hasPaidOrders"
  | "refundFailed"
  | "alreadySettled"
  | "nothingToSettle"
  | "amountMismatch";

export class GroupOrderError extends Error {
  constructor(readonly problems: GroupOrderProblem[]) {
    super(`Group order: ${problems.join(", ")}`);
  }
}

const isAdmin = (user: Organizer) => user.roles.includes("admin");

export async function createGroupOrder(user: Organizer, input: NewGroupOrderInput, now = new Date()) {
  const problems: GroupOrderProblem[] = [...scheduleProblems(input, now)];
  const unitIds = [...new Set(input.unitIds)];
  if (!isAdmin(user) && (unitIds.length !== 1 || unitIds[0] !== user.unitId)) problems.push("unitNotAllowed");
  const units = await db.unit.count({ where: { id: { in: unitIds } } });
  if (unitIds.length === 0 || units !== unitIds.length) problems.push("unknownUnit");
  const skuIds = [...new Set(input.items.map((item) => item.skuId))];
  if (skuIds.length === 0) problems.push("noItems");
  const skus = await db.sku.findMany({
    where: { id: { in: skuIds }, active: true },
    select: { product: { select: { cooperativeId: true } } },
  });
  if (skus.length !== skuIds.length) problems.push("unknownSku");
  const cooperatives = new Set(skus.map((sku) => sku.product.cooperativeId));
  if (cooperatives.size > 1) problems.push("mixedCooperatives");
  if (problems.length > 0) throw new GroupOrderError(problems);
  const limits = new Map(input.items.map((item) => [item.skuId, item.perPersonLimit]));
  return db.$transaction(async (tx) => {
    const group = await tx.groupOrder.create({
      data: {
        cooperativeId: [...cooperatives][0]!,
        organizerId: user.id,
        title: input.title,
        // Published at once: the clock decides when it takes orders (checkout lists open orders within their window).
        status: "open",
        opensAt: input.opensAt,
        closesAt: input.closesAt,
        pickupPoint: input.pickupPoint,
        deliveryDate: input.deliveryDate,
        allowCard: input.paymentModes !== "unit_settlement",
        allowUnitSettlement: input.paymentModes !== "card",
        units: { create: unitIds.map((unitId) => ({ unitId })) },
        items: { create: skuIds.map((skuId) => ({ skuId, perPersonLimit: limits.get(skuId) ?? null })) },
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId: user.id,
      action: "group_order.create",
      entityType: "GroupOrder",
      entityId: group.id,
      changes: { title: input.title, unitIds },
    });
    return group;
  });
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

const groupSelect = {
  id: true,
  title: true,
  status: true,
  organizerId: true,
  opensAt: true,
  closesAt: true,
  pickupPoint: true,
  deliveryDate: true,
  allowCard: true,
  allowUnitSettlement: true,
  closedAt: true,
  deliveredAt: true,
  cancelledAt: true,
  units: { select: { unit: { select: { id: true, name: true, nameEn: true } } } },
  items: {
    select: {
      perPersonLimit: true,
      sku: { select: { id: true, nameZh: true, nameEn: true, priceFen: true, product: { select: { nameZh: true, nameEn: true } } } },
    },
  },
  settlement: { select: { id: true, amountFen: true, reference: true, paidOn: true, createdAt: true } },
} as const;

/** The group order if `user` may organize it: 404 if there is none, 403 if it belongs to another unit's organizers. */
export async function getGroupOrderForOrganizer(user: Organizer, id: string, now = new Date()) {
  const group = await db.groupOrder.findUnique({ where: { id }, select: groupSelect });
  if (!group) notFound();
  const mayOrganize =
    isAdmin(user) || group.organizerId === user.id || (user.unitId !== null && group.units.some(({ unit }) => unit.id === user.unitId));
  if (!mayOrganize) forbidden();
  if (needsLazyClose(group, now)) await closeLapsedGroupOrders(now, id);
  return { ...group, state: effectiveState(group, now) };
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
      _count: { select: { orders: true } },
    },
  });
  return groups.map((group) => ({ ...group, state: effectiveState(group, now) }));
}

/**
 * Writes "closed" for open group orders whose closesAt has passed (all of them, or one) and tells their buyers.
 * The conditional update makes concurrent callers harmless: only the one that flips the status notifies.
 */
export async function closeLapsedGroupOrders(now = new Date(), id?: string) {
  const lapsed = await db.groupOrder.findMany({
    where: { status: "open", closesAt: { lte: now }, ...(id ? { id } : {}) },
    select: { id: true, closesAt: true },
  });
  for (const group of lapsed) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.groupOrder.updateMany({
        where: { id: group.id, status: "open" },
        data: { status: "closed", closedAt: group.closesAt },
      });
      if (count === 1) await notifyGroupOrderBuyers(tx, group.id, "group_order.closed");
    });
  }
  return lapsed.length;
}

type Tx = Prisma.TransactionClient;

/** Locks the group order row and answers its effective state; the lock orders concurrent commands on one group. */
export async function lockGroupOrder(tx: Tx, id: string, now: Date) {
  const [row] = await tx.$queryRaw<{ status: GroupOrderState; opensAt: Date; closesAt: Date }[]>`
    SELECT "status"::text AS "status", "opensAt", "closesAt" FROM "GroupOrder" WHERE "id" = ${id} FOR UPDATE`;
  if (!row) notFound();
  return effectiveState(row, now);
}

async function applyCommand(
  user: Organizer,
  id: string,
  command: GroupOrderCommand,
  now: Date,
  apply: (tx: Tx, state: GroupOrderState) => Promise<Prisma.InputJsonValue>,
) {
  await getGroupOrderForOrganizer(user, id, now);
  return db.$transaction(
    async (tx) => {
      const state = await lockGroupOrder(tx, id, now);
      if (!canApply(command, state)) throw new GroupOrderError(["notAllowedNow"]);
      const changes = await apply(tx, state);
      await recordAudit(tx, { actorId: user.id, action: `group_order.${command}`, entityType: "GroupOrder", entityId: id, changes });
    },
    { timeout: 60_000 },
  );
}

/** Closes an open group order before its time. */
export function closeGroupOrderEarly(user: Organizer, id: string, now = new Date()) {
  return applyCommand(user, id, "close", now, async (tx) => {
    await tx.groupOrder.update({ where: { id }, data: { status: "closed", closedAt: now, closesAt: now } });
    await notifyGroupOrderBuyers(tx, id, "group_order.closed");
    return { closesAt: now.toISOString() };
  });
}

/** Moves the closing time of a group order that is still open (or not yet open) to later. */
export function extendGroupOrder(user: Organizer, id: string, closesAt: Date, now = new Date()) {
  return applyCommand(user, id, "extend", now, async (tx) => {
    const group = await tx.groupOrder.findUniqueOrThrow({ where: { id }, select: { opensAt: true, closesAt: true, deliveryDate: true } });
    const problems: GroupOrderProblem[] = scheduleProblems({ ...group, closesAt }, now);
    if (closesAt.getTime() <= group.closesAt.getTime()) problems.push("notAllowedNow");
    if (problems.length > 0) throw new GroupOrderError(problems);
    await tx.groupOrder.update({ where: { id }, data: { closesAt } });
    return { from: group.closesAt.toISOString(), to: closesAt.toISOString() };
  });
}

/** Records that the goods reached the pickup point; settled at once if the unit has already paid. */
export function markGroupOrderDelivered(user: Organizer, id: string, now = new Date()) {
  return applyCommand(user, id, "deliver", now, async (tx, state) => {
    const settlement = await tx.unitSettlement.findUnique({ where: { groupOrderId: id }, select: { id: true } });
    const status = nextState("deliver", state, { hasSettlement: settlement !== null })!;
    await tx.groupOrder.update({ where: { id }, data: { status, deliveredAt: now } });
    await notifyGroupOrderBuyers(tx, id, "group_order.delivered");
    return { status };
  });
}

/**
 * Cancels a group order: paid orders are refunded in full through the cooperative's refund path first (card
 * payments back through Stripe, unit-settled ones recorded), then unpaid orders are cancelled and their stock
 * released. Each refund's key is derived from the group order, so a cancel that stopped half-way (say Stripe refused
 * one refund) can simply be repeated: finished refunds are not made twice.
 */
export async function cancelGroupOrder(user: Organizer, id: string, now = new Date()) {
  await getGroupOrderForOrganizer(user, id, now);
  const state = effectiveState(
    await db.groupOrder.findUniqueOrThrow({ where: { id }, select: { status: true, opensAt: true, closesAt: true } }),
    now,
  );
  if (!canApply("cancel", state)) throw new GroupOrderError(["notAllowedNow"]);
  const paid = await db.order.findMany({
    where: { groupOrderId: id, status: "paid" },
    select: {
      id: true,
      lines: { take: 1, select: { sku: { select: { product: { select: { cooperative: { select: { villageId: true } } } } } } } },
    },
  });
  for (const order of paid) {
    await refundOrder({
      orderId: order.id,
      actorId: user.id,
      villageId: order.lines[0]?.sku.product.cooperative.villageId ?? null,
      idempotencyKey: `group-order-cancel:${id}`,
      reason: "group order cancelled",
      now,
    }).catch((error: unknown) => {
      if (error instanceof RefundError) throw new GroupOrderError(["refundFailed"]);
      throw error;
    });
  }
  let cancelledIds: string[] = [];
  await applyCommand(user, id, "cancel", now, async (tx) => {
    const stillPaid = await tx.order.count({ where: { groupOrderId: id, status: "paid" } });
    if (stillPaid > 0) throw new GroupOrderError(["hasPaidOrders"]);
    // Notified before the orders change status, so the buyers found are those whose orders this cancels.
    await notifyGroupOrderBuyers(tx, id, "group_order.cancelled");
    const unpaid = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Order" WHERE "groupOrderId" = ${id} AND "status" = 'pending_payment' ORDER BY "id" FOR UPDATE`;
    for (const order of unpaid) await releaseOrderAllocations(tx, order.id, now);
    const ids = unpaid.map((order) => order.id);
    await tx.order.updateMany({ where: { id: { in: ids } }, data: { status: "cancelled", cancelledAt: now, expiresAt: null } });
    await tx.payment.updateMany({ where: { orderId: { in: ids }, status: "pending" }, data: { status: "failed" } });
    await tx.groupOrder.update({ where: { id }, data: { status: "cancelled", cancelledAt: now } });
    cancelledIds = ids;
    return { cancelledOrders: ids.length, refundedOrders: paid.length };
  });
  await expireCheckoutSessions(cancelledIds);
}

// —— Following sign-ups ————————————————————————————————————————————————————————————————————————————————————————

/** Orders that still count: placed and not given up (pending payment or paid). */
const LIVE_ORDER_STATUSES = ["pending_payment", "paid"] as const;

export const DASHBOARD_PAGE_SIZE = 20;

export async function groupOrderDashboard(groupOrderId: string, { q, page }: { q: string; page: number }) {
  const search = q.trim();
  const where: Prisma.OrderWhereInput = {
    groupOrderId,
    ...(search
      ? { OR: [{ number: { contains: search, mode: "insensitive" } }, { user: { name: { contains: search, mode: "insensitive" } } }] }
      : {}),
  };
  const [count, orders, byStatus, skuTotals, participants] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({
      where,
      orderBy: { createdAt: "asc" },
      skip: (page - 1) * DASHBOARD_PAGE_SIZE,
      take: DASHBOARD_PAGE_SIZE,
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
    db.order.groupBy({ by: ["status", "paymentMethod"], where: { groupOrderId }, _count: { _all: true }, _sum: { totalFen: true } }),
    skuTotalsFor(groupOrderId),
    db.order.findMany({
      where: { groupOrderId, status: { in: [...LIVE_ORDER_STATUSES] } },
      distinct: ["userId"],
      select: { userId: true },
    }),
  ]);
  return {
    orders,
    count,
    pages: Math.max(1, Math.ceil(count / DASHBOARD_PAGE_SIZE)),
    byStatus,
    skuTotals,
    participants: participants.length,
  };
}

/** Units and money per SKU over the live orders of a group order. */
export async function skuTotalsFor(groupOrderId: string) {
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
    GROUP BY s."id", p."nameZh", p."nameEn" ORDER BY p."nameZh", s."nameZh"`;
  return rows;
}

// —— Pickup list ——————————————————————————————————————————————————————————————————————————————————————————————

export type PickupRow = { number: string; buyer: string; unit: string; items: string; totalFen: number; paid: boolean };

/** One row per live order, by unit then buyer, as the person at the pickup point reads it. */
export async function pickupList(groupOrderId: string, locale: Locale): Promise<PickupRow[]> {
  const orders = await db.order.findMany({
    where: { groupOrderId, status: { in: [...LIVE_ORDER_STATUSES] } },
    select: {
      number: true,
      status: true,
      totalFen: true,
      user: { select: { name: true } },
      unit: { select: { name: true, nameEn: true } },
      lines: {
        orderBy: { skuId: "asc" },
        select: { quantity: true, sku: { select: { nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } } } },
      },
    },
  });
  const rows = orders.map((order) => ({
    number: order.number,
    buyer: order.user.name,
    unit: (locale === "en" ? order.unit?.nameEn : order.unit?.name) ?? "",
    items: order.lines
      .map(
        (line) =>
          `${locale === "en" ? `${line.sku.product.nameEn} ${line.sku.nameEn}` : `${line.sku.product.nameZh} ${line.sku.nameZh}`} × ${line.quantity}`,
      )
      .join(locale === "en" ? "; " : "；"),
    totalFen: order.totalFen,
    paid: order.status === "paid",
  }));
  const collator = new Intl.Collator(locale === "en" ? "en" : "zh-CN");
  return rows.sort((a, b) => collator.compare(a.unit, b.unit) || collator.compare(a.buyer, b.buyer) || a.number.localeCompare(b.number));
}

/**
 * CSV as spreadsheet programs open it: UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake),
 * CRLF line ends, every field quoted. A leading =, +, - or @ is prefixed with ' so a buyer's name cannot run as a
 * formula in the organizer's spreadsheet; a plain number (a negative amount like "-20.00") is left as it is.
 */
export function toCsv(rows: (string | number)[][]) {
  const field = (value: string | number) => {
    const text =
      typeof value === "number" || /^-?\d+(\.\d+)?$/.test(value) ? String(value) : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return `"${text.replace(/"/g, '""')}"`;
  };
  return `\uFEFF${rows.map((row) => row.map(field).join(",")).join("\r\n")}\r\n`;
}

/** Fen as a plain yuan amount for spreadsheets ("88.00"). */
export function fenToYuanText(fen: number) {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export type ReportTable = { sheet: string; header: string[]; rows: (string | number)[][]; moneyColumns: number[] };

/** The pickup list, with an empty column to tick when the goods are handed over. Money in fen. */
export async function pickupListTable(groupOrderId: string, locale: Locale): Promise<ReportTable> {
  const m = catalogs[locale].groupOrders;
  const rows = await pickupList(groupOrderId, locale);
  return {
    sheet: m.pickupSheet,
    header: [m.number, m.buyer, m.unit, m.items, m.amount, m.paid, m.pickedUp],
    rows: rows.map((row) => [row.number, row.buyer, row.unit, row.items, row.totalFen, row.paid ? m.yes : m.no, ""]),
    moneyColumns: [4],
  };
}

/** Units and money per SKU (what the cooperative packs for this group order). Money in fen. */
export async function skuTotalsTable(groupOrderId: string, locale: Locale): Promise<ReportTable> {
  const m = catalogs[locale].groupOrders;
  const rows = await skuTotalsFor(groupOrderId);
  return {
    sheet: m.totalsSheet,
    header: [m.items, m.quantity, m.paidQuantity, m.amount],
    rows: rows.map((row) => [
      locale === "en" ? `${row.productEn} ${row.skuEn}` : `${row.productZh} ${row.skuZh}`,
      row.quantity,
      row.paidQuantity,
      row.totalFen,
    ]),
    moneyColumns: [3],
  };
}

/** A report as CSV, money as plain yuan text ("88.00"). */
export function reportCsv(table: ReportTable) {
  return toCsv([
    table.header,
    ...table.rows.map((row) => row.map((cell, i) => (table.moneyColumns.includes(i) ? fenToYuanText(Number(cell)) : cell))),
  ]);
}

/** pickupListCsv / skuTotalsCsv: the two reports as CSV. */
export async function pickupListCsv(groupOrderId: string, locale: Locale) {
  return reportCsv(await pickupListTable(groupOrderId, locale));
}

export async function skuTotalsCsv(groupOrderId: string, locale: Locale) {
  return reportCsv(await skuTotalsTable(groupOrderId, locale));
}
