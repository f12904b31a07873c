// What organizers do to a group order: open it, close it early, extend it, mark it delivered, cancel it. Each command
// locks the group order, checks the state machine (state.ts) and is audited; a refusal is a DomainError.
import { Prisma, db } from "~/db/client.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, isNonEmpty } from "~/domain/errors";
import { notifyGroupOrderBuyers } from "~/domain/notifications.server";
import { getGroupOrderToRun, isAdmin, lockGroupOrder, type Organizer } from "./access.server";
import { everyUnitSettled } from "./settlement.server";
import { canApply, nextState, scheduleProblems, type GroupOrderCommand, type GroupOrderState, type ScheduleProblem } from "./state";

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
  | "amountMismatch"
  | "unitNotInvited";

/** The form field a problem is about, so the organizer's form shows it there. */
const PROBLEM_FIELD: Partial<Record<GroupOrderProblem, string>> = {
  closesBeforeOpens: "closesAt",
  closesInPast: "closesAt",
  deliveryBeforeClose: "deliveryDate",
  unitNotAllowed: "unitIds",
  unknownUnit: "unitIds",
  noItems: "items",
  unknownSku: "items",
  mixedCooperatives: "items",
  amountMismatch: "amount",
  unitNotInvited: "unitId",
};

/** Input problems are the organizer's to fix (422); the rest say the group order's state does not allow it (409). */
const STATE_PROBLEMS: GroupOrderProblem[] = ["notAllowedNow", "hasPaidOrders", "alreadySettled", "nothingToSettle"];

/** The refusal for every problem found, each under groupOrders.errors.*. */
export function groupOrderRefusal(problems: [GroupOrderProblem, ...GroupOrderProblem[]]) {
  const status = problems.includes("refundFailed") ? 502 : problems.every((p) => STATE_PROBLEMS.includes(p)) ? 409 : 422;
  const refusals = problems.map((problem) => ({ code: `groupOrders.errors.${problem}` as const, field: PROBLEM_FIELD[problem] }));
  return DomainError.of(refusals as [(typeof refusals)[number], ...typeof refusals], status);
}

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
  if (isNonEmpty(problems)) throw groupOrderRefusal(problems);
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

type Tx = Prisma.TransactionClient;

async function applyCommand(
  user: Organizer,
  id: string,
  command: GroupOrderCommand,
  now: Date,
  apply: (tx: Tx, state: GroupOrderState) => Promise<Prisma.InputJsonValue>,
) {
  await getGroupOrderToRun(user, id, now);
  return db.$transaction(
    async (tx) => {
      const state = await lockGroupOrder(tx, id, now);
      if (!canApply(command, state)) throw groupOrderRefusal(["notAllowedNow"]);
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
    if (isNonEmpty(problems)) throw groupOrderRefusal(problems);
    await tx.groupOrder.update({ where: { id }, data: { closesAt } });
    return { from: group.closesAt.toISOString(), to: closesAt.toISOString() };
  });
}

/** Records that the goods reached the pickup point; settled at once if every paying unit has already paid. */
export function markGroupOrderDelivered(user: Organizer, id: string, now = new Date()) {
  return applyCommand(user, id, "deliver", now, async (tx, state) => {
    const status = nextState("deliver", state, { hasSettlement: await everyUnitSettled(tx, id) })!;
    await tx.groupOrder.update({ where: { id }, data: { status, deliveredAt: now } });
    await notifyGroupOrderBuyers(tx, id, "group_order.delivered");
    return { status };
  });
}
