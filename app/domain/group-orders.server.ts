import { db } from "~/db/client.server";

/** Group orders open now to which the unit is invited, soonest closing first. */
export function listOpenGroupOrdersForUnit(unitId: string, now = new Date()) {
  return db.groupOrder.findMany({
    where: { status: "open", opensAt: { lte: now }, closesAt: { gt: now }, units: { some: { unitId } } },
    orderBy: { closesAt: "asc" },
    select: { id: true, title: true, closesAt: true, pickupPoint: true, deliveryDate: true },
  });
}

export function listGroupOrdersByOrganizer(organizerId: string) {
  return db.groupOrder.findMany({
    where: { organizerId },
    orderBy: { opensAt: "desc" },
    select: { id: true, title: true, status: true, opensAt: true, closesAt: true, pickupPoint: true, _count: { select: { orders: true } } },
  });
}

/** What checkout offers a buyer: the open group orders of their unit, with their SKUs, limits and payment modes. */
export function listOpenGroupOrdersForCheckout(unitId: string, now = new Date()) {
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
      items: { select: { skuId: true, perPersonLimit: true } },
    },
  });
}
