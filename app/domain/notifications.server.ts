// In-app notifications: what a buyer should know about their group order without watching it (closed, delivered,
// cancelled). Written in the transaction of the change that causes them, so they exist exactly when it happened.
import type { Prisma } from "~/db/client.server";
import { db } from "~/db/client.server";

type Tx = Prisma.TransactionClient;

export type GroupOrderNotificationKind = "group_order.closed" | "group_order.delivered" | "group_order.cancelled";

export type GroupOrderNotificationPayload = { groupOrderId: string; title: string; pickupPoint: string; deliveryDate: string };

/** One notification per buyer with a live (unpaid or paid) order in the group order. */
export async function notifyGroupOrderBuyers(tx: Tx, groupOrderId: string, kind: GroupOrderNotificationKind) {
  const group = await tx.groupOrder.findUniqueOrThrow({
    where: { id: groupOrderId },
    select: { title: true, pickupPoint: true, deliveryDate: true },
  });
  const buyers = await tx.order.findMany({
    where: { groupOrderId, status: { in: ["pending_payment", "paid"] } },
    distinct: ["userId"],
    select: { userId: true },
  });
  const payload: GroupOrderNotificationPayload = {
    groupOrderId,
    title: group.title,
    pickupPoint: group.pickupPoint,
    deliveryDate: group.deliveryDate.toISOString().slice(0, 10),
  };
  const { count } = await tx.notification.createMany({ data: buyers.map(({ userId }) => ({ userId, kind, payload })) });
  return count;
}

export async function listGroupOrderNotifications(userId: string, take = 5) {
  const rows = await db.notification.findMany({
    where: { userId, kind: { startsWith: "group_order." } },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, payload: true, readAt: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, payload: row.payload as GroupOrderNotificationPayload }));
}
