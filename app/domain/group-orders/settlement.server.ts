// Unit settlement (单位统一结算): each unit pays in bulk for its own members' unit-settled orders of a group order, and
// its organizer records that payment (startSettlement in bulk.server.ts; a job confirms the orders paid and credits
// the households). A group order open to several units is settled once per unit (DOMAIN §6).
import { Prisma, db } from "~/db/client.server";

export type SettlementInput = { amountFen: number; reference: string; paidOn: Date };

export type PendingSettlement = { unitId: string; name: string; nameEn: string; orders: number; totalFen: number };

/** Per unit (all, or the one in scope): the unit-settled orders still waiting for its money, and what they owe. */
export async function pendingUnitSettlements(groupOrderId: string, unitScope: string | null): Promise<PendingSettlement[]> {
  const rows = await db.$queryRaw<PendingSettlement[]>`
    SELECT u."id" AS "unitId", u."name", u."nameEn", COUNT(*)::int AS "orders", SUM(o."totalFen")::int AS "totalFen"
    FROM "Order" o JOIN "Unit" u ON u."id" = o."unitId"
    WHERE o."groupOrderId" = ${groupOrderId} AND o."paymentMethod" = 'unit_settlement' AND o."status" = 'pending_payment'
      AND NOT EXISTS (SELECT 1 FROM "UnitSettlement" s WHERE s."groupOrderId" = o."groupOrderId" AND s."unitId" = o."unitId")
      ${unitScope === null ? Prisma.empty : Prisma.sql`AND o."unitId" = ${unitScope}`}
    GROUP BY u."id" ORDER BY u."code"`;
  return rows;
}

/**
 * True once every unit with unit-settled orders has paid for them and they are confirmed: at least one settlement,
 * and no unit-settled order still waiting. A settlement whose crediting job has not yet run still leaves its orders
 * waiting, so the job's last step, not the settlement itself, is what makes the group order settled.
 */
export async function everyUnitSettled(tx: Prisma.TransactionClient, groupOrderId: string) {
  const settlements = await tx.unitSettlement.count({ where: { groupOrderId } });
  const waiting = await tx.order.count({ where: { groupOrderId, paymentMethod: "unit_settlement", status: "pending_payment" } });
  return settlements > 0 && waiting === 0;
}
