// Unit settlement (单位统一结算): a unit pays in bulk for its members' group-order orders, and the organizer records
// that payment (startSettlement in bulk.server.ts; a job confirms the orders paid and credits the households).
import { db } from "~/db/client.server";

export type SettlementInput = { amountFen: number; reference: string; paidOn: Date };

/** The unit-settled orders still waiting for the unit's money, and what they owe together. */
export async function pendingUnitSettlement(groupOrderId: string) {
  const where = { groupOrderId, paymentMethod: "unit_settlement", status: "pending_payment" } as const;
  const { _count, _sum } = await db.order.aggregate({ where, _count: { _all: true }, _sum: { totalFen: true } });
  return { orders: _count._all, totalFen: _sum.totalFen ?? 0 };
}
