// The migration to per-unit settlements keeps every existing settlement: one that paid for two units' orders becomes
// one settlement per unit, each with that unit's payments, and the amounts still add up. The file's database is
// taken back to the old shape (one settlement per group order, no unit), given old data, and migrated again.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { closeGroupOrderEarly } from "~/domain/group-orders/commands.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop } from "../fixtures";
import { createUserWithRoles, joinGroupOrder, openGroupOrder } from "./helpers";

const MIGRATION = path.resolve("prisma/migrations/20261201039000_unit_settlement_per_unit/migration.sql");

const BACK_TO_ONE_PER_GROUP_ORDER = [
  `ALTER TABLE "BulkTask" DROP CONSTRAINT "BulkTask_settlementId_fkey"`,
  `ALTER TABLE "BulkTask" DROP COLUMN "settlementId"`,
  `ALTER TABLE "UnitSettlement" DROP CONSTRAINT "UnitSettlement_unitId_fkey"`,
  `DROP INDEX "UnitSettlement_groupOrderId_unitId_key"`,
  `DROP INDEX "UnitSettlement_unitId_idx"`,
  `ALTER TABLE "UnitSettlement" DROP COLUMN "unitId"`,
  `CREATE UNIQUE INDEX "UnitSettlement_groupOrderId_key" ON "UnitSettlement"("groupOrderId")`,
];

/** The migration's statements (it has no function bodies, so a semicolon at a line's end ends a statement). */
async function migrationStatements() {
  const sql = (await readFile(MIGRATION, "utf8"))
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n");
  return sql
    .split(/;\s*\n/)
    .map((statement) => statement.trim().replace(/;$/, ""))
    .filter(Boolean);
}

beforeEach(truncateAllTables);

describe("migrating settlements to one per unit", () => {
  it("splits a settlement that paid for two units into one per unit, losing no payment and no fen", async () => {
    const shop = await createShop();
    await createLot(shop, 20);
    const unitB = await db.unit.create({ data: { code: "U-B", name: "二队", nameEn: "Team 2" } });
    const admin = await createUserWithRoles(null, ["admin"]);
    const { id } = await openGroupOrder(shop, admin, { unitIds: [shop.unit.id, unitB.id] });
    const a = [await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 1)];
    const b = [
      await joinGroupOrder(shop, id, (await createEmployee(unitB.id)).id, 2),
      await joinGroupOrder(shop, id, (await createEmployee(unitB.id)).id, 3),
    ];
    await closeGroupOrderEarly(admin, id);
    const orders = [...a, ...b];
    const total = orders.reduce((sum, order) => sum + order.totalFen, 0);

    const statements = await migrationStatements();
    await db.$transaction(
      async (tx) => {
        for (const statement of BACK_TO_ONE_PER_GROUP_ORDER) await tx.$executeRawUnsafe(statement);
        await tx.$executeRaw`
          INSERT INTO "UnitSettlement" ("id", "groupOrderId", "amountFen", "reference", "paidOn", "recordedById")
          VALUES ('old-settlement', ${id}, ${total}, 'ICBC-OLD', DATE '2026-07-05', ${admin.id})`;
        for (const order of orders) {
          await tx.$executeRaw`
            INSERT INTO "Payment" ("id", "orderId", "method", "status", "amountFen", "settlementId", "succeededAt", "updatedAt")
            VALUES (${`pay-${order.id}`}, ${order.id}, 'unit_settlement', 'succeeded', ${order.totalFen}, 'old-settlement', now(), now())`;
        }
        // Temporary tables belong to the session: the whole migration runs on this transaction's connection.
        for (const statement of statements) await tx.$executeRawUnsafe(statement);
      },
      { timeout: 60_000 },
    );

    const settlements = await db.unitSettlement.findMany({ include: { payments: { select: { orderId: true, amountFen: true } } } });
    expect(settlements).toHaveLength(2);
    const byUnit = new Map(settlements.map((s) => [s.unitId, s]));
    for (const [unitId, unitOrders] of [
      [shop.unit.id, a],
      [unitB.id, b],
    ] as const) {
      const settlement = byUnit.get(unitId)!;
      expect(settlement).toMatchObject({ groupOrderId: id, reference: "ICBC-OLD", recordedById: admin.id });
      expect(settlement.payments.map((p) => p.orderId).sort()).toEqual(unitOrders.map((o) => o.id).sort());
      expect(settlement.amountFen).toBe(unitOrders.reduce((sum, order) => sum + order.totalFen, 0));
    }
    expect(settlements.map((s) => s.id)).toContain("old-settlement");
    expect(settlements.reduce((sum, s) => sum + s.amountFen, 0)).toBe(total);
    expect(await db.payment.count({ where: { settlementId: null } })).toBe(0);
  });
});
