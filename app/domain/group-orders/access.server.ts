// Who may organize a group order, and the catch-up of its stored status with the clock. The opener (or an admin) runs
// it: sees every unit's orders and alone closes, extends, cancels or marks it delivered. An organizer of another unit
// it invites follows and settles their own unit's part only (DOMAIN §6). Anyone else is refused here, in the domain,
// rather than in each route.
import { Prisma, db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { forbidden, notFound } from "~/domain/errors";
import { notifyGroupOrderBuyers } from "~/domain/notifications.server";
import { effectiveState, needsLazyClose, type GroupOrderState } from "./state";

export type Organizer = { id: string; unitId: string | null; roles: Role[] };

export const isAdmin = (user: Organizer) => user.roles.includes("admin");

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
  settlements: {
    orderBy: { createdAt: "asc" },
    select: { id: true, unitId: true, amountFen: true, reference: true, paidOn: true, createdAt: true },
  },
} as const;

/**
 * The group order if `user` may organize it: 404 if there is none, 403 if it belongs to other units' organizers.
 * `runsIt` says the user opened it (or is an admin); `unitScope` is the one unit whose orders they see, or null for
 * every unit. The settlements are those of the units in scope.
 */
export async function getGroupOrderForOrganizer(user: Organizer, id: string, now = new Date()) {
  const group = await db.groupOrder.findUnique({ where: { id }, select: groupSelect });
  if (!group) throw notFound();
  const runsIt = isAdmin(user) || group.organizerId === user.id;
  const invited = user.unitId !== null && group.units.some(({ unit }) => unit.id === user.unitId);
  if (!runsIt && !invited) throw forbidden();
  if (needsLazyClose(group, now)) await closeLapsedGroupOrders(now, id);
  const unitScope = runsIt ? null : user.unitId;
  return {
    ...group,
    settlements: group.settlements.filter((settlement) => unitScope === null || settlement.unitId === unitScope),
    state: effectiveState(group, now),
    runsIt,
    unitScope,
  };
}

/** The group order if `user` runs it (opened it, or is an admin): 403 for an invited unit's organizer. */
export async function getGroupOrderToRun(user: Organizer, id: string, now = new Date()) {
  const group = await getGroupOrderForOrganizer(user, id, now);
  if (!group.runsIt) throw forbidden();
  return group;
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
  if (!row) throw notFound();
  return effectiveState(row, now);
}
