// In-app notifications: what a buyer should know about their group order without watching it (closed, delivered,
// cancelled). The change that causes them picks the buyers in its own transaction and queues a job there (an
// outbox), so the notifications exist exactly when the change happened, without the change writing one row per buyer.
import type { Prisma } from "~/db/client.server";
import { db } from "~/db/client.server";
import { enqueue } from "~/jobs/queue.server";

type Tx = Prisma.TransactionClient;

export type GroupOrderNotificationKind = "group_order.closed" | "group_order.delivered" | "group_order.cancelled";

export type GroupOrderNotificationPayload = { groupOrderId: string; title: string; pickupPoint: string; deliveryDate: string };

export type GroupOrderNotificationJob = { kind: GroupOrderNotificationKind; payload: GroupOrderNotificationPayload; userIds: string[] };

/** Queues one notification per buyer with a live (unpaid or paid) order in the group order; answers how many. */
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
  if (buyers.length === 0) return 0;
  const payload: GroupOrderNotificationPayload = {
    groupOrderId,
    title: group.title,
    pickupPoint: group.pickupPoint,
    deliveryDate: group.deliveryDate.toISOString().slice(0, 10),
  };
  await enqueue("notifications.group-order", { kind, payload, userIds: buyers.map((b) => b.userId) }, { tx });
  return buyers.length;
}

/** The job's work: one row per buyer, keyed so that running it again writes nothing more. */
export async function writeGroupOrderNotifications({ kind, payload, userIds }: GroupOrderNotificationJob) {
  const { count } = await db.notification.createMany({
    data: userIds.map((userId) => ({ userId, kind, payload, dedupeKey: `${kind}:${payload.groupOrderId}:${userId}` })),
    skipDuplicates: true,
  });
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
