// Receipt: the buyer confirms on the order page, or an organizer confirms the pickup of a whole group order. Without
// either, "purchase_lines" counts an order a set number of days after delivery (BureauSetting "receipt.autoDays"). A
// confirmation is written once: a second tap, or a retried request, finds it already there and writes nothing.
import { db, Prisma } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, forbidden, notFound } from "~/domain/errors";

export const AUTO_RECEIPT_SETTING = "receipt.autoDays";
export const DEFAULT_AUTO_RECEIPT_DAYS = 7;

/**
 * The buyer's "I received it" on their own order. Another buyer's order is not there for them (404, as the order
 * page itself); an order not paid (or since cancelled or refunded) cannot be received (409).
 */
export async function confirmReceiptByBuyer(userId: string, orderNumber: string, now = new Date()) {
  return db.$transaction(async (tx) => {
    const order = await tx.order.findFirst({
      where: { number: orderNumber, userId },
      select: { id: true, status: true, receivedAt: true },
    });
    if (!order) throw notFound();
    if (order.status !== "paid") throw new DomainError("purchases.errors.notPaid", { status: 409 });
    if (order.receivedAt) return { receivedAt: order.receivedAt, already: true };
    const { count } = await tx.order.updateMany({
      where: { id: order.id, status: "paid", receivedAt: null },
      data: { receivedAt: now, receivedBy: "buyer" },
    });
    if (count === 0) return { receivedAt: now, already: true };
    await recordAudit(tx, { actorId: userId, action: "order.received", entityType: "Order", entityId: order.id, changes: { by: "buyer" } });
    return { receivedAt: now, already: false };
  });
}

type Organizer = { id: string; unitId: string | null; roles: Role[] };

/**
 * An organizer's "picked up" for a group order: every order of it not yet received that is paid or waiting for its
 * unit's settlement (it counts once settled). The group order's opener or an admin confirms for all its units; the
 * organizer of a participating unit for their own unit's members only. Before the group order has closed there is
 * nothing to pick up (409).
 */
export async function confirmGroupPickup(user: Organizer, groupOrderId: string, now = new Date()) {
  return db.$transaction(async (tx) => {
    const group = await tx.groupOrder.findUnique({
      where: { id: groupOrderId },
      select: { id: true, status: true, organizerId: true, units: { select: { unitId: true } } },
    });
    if (!group) throw notFound();
    const everyUnit = user.roles.includes("admin") || group.organizerId === user.id;
    const ownUnit = user.unitId !== null && group.units.some((unit) => unit.unitId === user.unitId);
    if (!everyUnit && !(ownUnit && user.roles.includes("organizer"))) throw forbidden();
    if (!["closed", "delivered", "settled"].includes(group.status)) throw new DomainError("purchases.errors.notClosed", { status: 409 });
    const { count } = await tx.order.updateMany({
      where: {
        groupOrderId,
        receivedAt: null,
        ...(everyUnit ? {} : { unitId: user.unitId }),
        OR: [{ status: "paid" }, { status: "pending_payment", paymentMethod: "unit_settlement" }],
      },
      data: { receivedAt: now, receivedBy: "organizer" },
    });
    if (count > 0)
      await recordAudit(tx, {
        actorId: user.id,
        action: "groupOrder.pickupConfirmed",
        entityType: "GroupOrder",
        entityId: groupOrderId,
        changes: { orders: count, unitId: everyUnit ? null : user.unitId } as Prisma.InputJsonValue,
      });
    return { orders: count };
  });
}

/** The days after delivery at which an order counts as received without a confirmation. */
/** The setting's stored value as days: the default until the bureau has set one. */
export function autoReceiptDaysOf(value: unknown) {
  return typeof value === "number" ? value : DEFAULT_AUTO_RECEIPT_DAYS;
}

export async function autoReceiptDays() {
  const setting = await db.bureauSetting.findUnique({ where: { key: AUTO_RECEIPT_SETTING }, select: { value: true } });
  return autoReceiptDaysOf(setting?.value);
}

export async function saveAutoReceiptDays(actorId: string, days: number) {
  return db.$transaction(async (tx) => {
    const before = await tx.bureauSetting.findUnique({ where: { key: AUTO_RECEIPT_SETTING }, select: { value: true } });
    if (before?.value === days) return { changed: false };
    await tx.bureauSetting.upsert({
      where: { key: AUTO_RECEIPT_SETTING },
      create: { key: AUTO_RECEIPT_SETTING, value: days, updatedById: actorId },
      update: { value: days, updatedById: actorId },
    });
    await recordAudit(tx, {
      actorId,
      action: "receipt.autoDays.update",
      entityType: "BureauSetting",
      entityId: AUTO_RECEIPT_SETTING,
      changes: { from: before?.value ?? null, to: days } as Prisma.InputJsonValue,
    });
    return { changed: true };
  });
}

/** The unit's closed group orders with orders of its members still waiting for a receipt, for the pickup button. */
export async function pickupsAwaiting(unitId: string) {
  const groups = await db.groupOrder.findMany({
    where: {
      status: { in: ["closed", "delivered", "settled"] },
      units: { some: { unitId } },
      orders: {
        some: { unitId, receivedAt: null, OR: [{ status: "paid" }, { status: "pending_payment", paymentMethod: "unit_settlement" }] },
      },
    },
    orderBy: { deliveryDate: "desc" },
    take: 20,
    select: { id: true, title: true, deliveryDate: true, pickupPoint: true },
  });
  return groups;
}
