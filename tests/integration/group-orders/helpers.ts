import { randomUUID } from "node:crypto";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { placeOrder } from "~/domain/shop/checkout.server";
import { createGroupOrder, type NewGroupOrderInput } from "~/domain/group-orders/commands.server";
import { isDomainError } from "~/domain/errors";
import { type Organizer } from "~/domain/group-orders/access.server";
import { startCancellation, startSettlement } from "~/domain/group-orders/bulk.server";
import type { SettlementInput } from "~/domain/group-orders/settlement.server";
import { workDueJobs } from "~/jobs/queue.server";
import type { createShop } from "../fixtures";

type Shop = Awaited<ReturnType<typeof createShop>>;
const DAY = 24 * 60 * 60 * 1000;

export async function createUserWithRoles(unitId: string | null, roles: Role[], name = "负责人"): Promise<Organizer & { name: string }> {
  const user = await db.user.create({
    data: { name, email: `${randomUUID()}@test.example`, passwordHash: "x", unitId, roles: { create: roles.map((role) => ({ role })) } },
  });
  return { id: user.id, unitId, roles, name };
}

export function groupOrderInput(shop: Shop, overrides: Partial<NewGroupOrderInput> = {}): NewGroupOrderInput {
  const now = Date.now();
  return {
    title: "桃子团购",
    unitIds: [shop.unit.id],
    items: [{ skuId: shop.sku.id, perPersonLimit: 4 }],
    opensAt: new Date(now - DAY),
    closesAt: new Date(now + DAY),
    pickupPoint: "东门传达室",
    deliveryDate: new Date(new Date(now + 3 * DAY).toISOString().slice(0, 10)),
    paymentModes: "both",
    ...overrides,
  };
}

export async function openGroupOrder(shop: Shop, organizer: Organizer, overrides: Partial<NewGroupOrderInput> = {}) {
  return createGroupOrder(organizer, groupOrderInput(shop, overrides));
}

/** A buyer of the shop's unit joins the group order with `quantity` units, paying as `paymentMethod` says. */
export async function joinGroupOrder(
  shop: Shop,
  groupOrderId: string,
  userId: string,
  quantity: number,
  paymentMethod: "card" | "unit_settlement" = "unit_settlement",
) {
  const result = await placeOrder({
    userId,
    idempotencyKey: randomUUID(),
    lines: [{ skuId: shop.sku.id, quantity, expectedUnitPriceFen: shop.sku.priceFen }],
    fulfilment: { kind: "group_pickup", groupOrderId },
    paymentMethod,
    cardPaymentConfigured: true,
    paymentTtlMinutes: 30,
  });
  return result.order;
}

/** The problems a group-order command was refused with (groupOrders.errors.<problem>), or [] if it went through. */
export async function problemsOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error.refusals.map((refusal) => refusal.code.replace(/^groupOrders\.errors\./, ""));
    throw error;
  }
  return [];
}

/**
 * Starts settling one unit's orders (the user's own unit unless named) and works the job at once, as a server's worker
 * would: the settlement's outcome, as the task says.
 */
export async function settleNow(user: Organizer, groupOrderId: string, input: SettlementInput, unitId = user.unitId ?? "") {
  const started = await startSettlement(user, groupOrderId, unitId, input);
  await workDueJobs();
  return { ...started, task: await db.bulkTask.findUniqueOrThrow({ where: { id: started.taskId } }) };
}

/** Starts cancelling and works the job (with every retry it is given) at once. */
export async function cancelNow(user: Organizer, groupOrderId: string) {
  const started = await startCancellation(user, groupOrderId);
  await workDueJobs();
  return db.bulkTask.findUniqueOrThrow({ where: { id: started.taskId } });
}
