// Unit settlement (单位统一结算): a unit pays in bulk for its members' group-order orders, and the organizer records
// that payment. In one transaction: the settlement, a succeeded payment per order, and each order confirmed paid
// through confirmOrderPayment, which credits the households. The amount must equal what the orders owe, to the fen.
import { db } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import { recordAudit } from "~/domain/audit.server";
import { canApply, nextState } from "./state";
import { getGroupOrderForOrganizer, lockGroupOrder, type Organizer } from "./access.server";
import { groupOrderRefusal } from "./commands.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";

export type SettlementInput = { amountFen: number; reference: string; paidOn: Date };

/** The unit-settled orders still waiting for the unit's money, and what they owe together. */
export async function pendingUnitSettlement(groupOrderId: string) {
  const where = { groupOrderId, paymentMethod: "unit_settlement", status: "pending_payment" } as const;
  const { _count, _sum } = await db.order.aggregate({ where, _count: { _all: true }, _sum: { totalFen: true } });
  return { orders: _count._all, totalFen: _sum.totalFen ?? 0 };
}

export async function recordUnitSettlement(user: Organizer, groupOrderId: string, input: SettlementInput, now = new Date()) {
  await getGroupOrderForOrganizer(user, groupOrderId, now);
  try {
    return await db.$transaction(
      async (tx) => {
        const state = await lockGroupOrder(tx, groupOrderId, now);
        const existing = await tx.unitSettlement.findUnique({ where: { groupOrderId }, select: { id: true } });
        if (existing || state === "settled") throw groupOrderRefusal(["alreadySettled"]);
        if (!canApply("settle", state)) throw groupOrderRefusal(["notAllowedNow"]);
        const orders = await tx.$queryRaw<{ id: string; totalFen: number }[]>`
          SELECT "id", "totalFen" FROM "Order"
          WHERE "groupOrderId" = ${groupOrderId} AND "paymentMethod" = 'unit_settlement' AND "status" = 'pending_payment'
          ORDER BY "id" FOR UPDATE`;
        if (orders.length === 0) throw groupOrderRefusal(["nothingToSettle"]);
        const owedFen = orders.reduce((sum, order) => sum + order.totalFen, 0);
        if (owedFen !== input.amountFen) throw groupOrderRefusal(["amountMismatch"]);
        // The unique groupOrderId is what turns a concurrent double submit into one settlement (P2002 below).
        const settlement = await tx.unitSettlement.create({
          data: { groupOrderId, amountFen: input.amountFen, reference: input.reference, paidOn: input.paidOn, recordedById: user.id },
          select: { id: true },
        });
        const payments = await tx.payment.createManyAndReturn({
          data: orders.map((order) => ({
            orderId: order.id,
            method: "unit_settlement" as const,
            status: "succeeded" as const,
            amountFen: order.totalFen,
            settlementId: settlement.id,
            succeededAt: now,
          })),
          select: { id: true, orderId: true },
        });
        for (const payment of payments) {
          const outcome = await confirmOrderPayment(tx, payment.orderId, payment.id, now);
          if (outcome !== "credited") throw new Error(`Order ${payment.orderId} could not be confirmed: ${outcome}`);
        }
        const status = nextState("settle", state)!;
        await tx.groupOrder.update({ where: { id: groupOrderId }, data: { status } });
        await recordAudit(tx, {
          actorId: user.id,
          action: "group_order.settle",
          entityType: "GroupOrder",
          entityId: groupOrderId,
          changes: { settlementId: settlement.id, amountFen: input.amountFen, reference: input.reference, orders: orders.length },
        });
        return { settlementId: settlement.id, orders: orders.length };
      },
      // Thousands of orders are confirmed in this one transaction.
      { timeout: 300_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw groupOrderRefusal(["alreadySettled"]);
    throw error;
  }
}
