// A peach-season group order (DOMAIN §8: ~2,000 orders): the exports and the settlement must stay quick. The
// orders are written in bulk rather than through checkout, which has its own benchmark.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { closeGroupOrderEarly } from "~/domain/group-orders/commands.server";
import { groupOrderDashboard } from "~/domain/group-orders/queries.server";
import { pickupListTable } from "~/domain/group-orders/exports.server";
import { reportCsv } from "~/utils/tables.server";
import { reportXlsx } from "~/utils/tables.server";
import { auditLedger } from "~/domain/ledger/audit.server";
import { truncateAllTables } from "../../setup/reset";
import { createLot, createShop } from "../fixtures";
import { createUserWithRoles, openGroupOrder, settleNow } from "./helpers";

const ORDERS = 2_000;
let context: { organizer: Awaited<ReturnType<typeof createUserWithRoles>>; groupOrderId: string; totalFen: number };

beforeAll(async () => {
  await truncateAllTables();
  const shop = await createShop({ priceFen: 8800 });
  const lot = await createLot(shop, ORDERS * 3);
  const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
  const { id } = await openGroupOrder(shop, organizer);
  const users = Array.from({ length: ORDERS }, (_, i) => ({
    id: randomUUID(),
    name: `职工${i}`,
    email: `${randomUUID()}@test.example`,
    passwordHash: "x",
    unitId: shop.unit.id,
  }));
  await db.user.createMany({ data: users });
  const orders = users.map((user, i) => {
    const quantity = (i % 3) + 1;
    return {
      id: randomUUID(),
      number: `AS-SCALE-${i}`,
      userId: user.id,
      unitId: shop.unit.id,
      groupOrderId: id,
      fulfilment: "group_pickup" as const,
      paymentMethod: "unit_settlement" as const,
      subtotalFen: quantity * 8800,
      totalFen: quantity * 8800,
      idempotencyKey: randomUUID(),
      quantity,
    };
  });
  await db.order.createMany({ data: orders.map(({ quantity: _, ...order }) => order) });
  const lines = orders.map((order) => ({
    id: randomUUID(),
    orderId: order.id,
    skuId: shop.sku.id,
    quantity: order.quantity,
    unitPriceFen: 8800,
    lineTotalFen: order.totalFen,
    feeRateBp: 800,
  }));
  await db.orderLine.createMany({ data: lines });
  await db.allocation.createMany({ data: lines.map((line) => ({ orderLineId: line.id, lotId: lot.id, quantity: line.quantity })) });
  const allocated = lines.reduce((sum, line) => sum + line.quantity, 0);
  await db.stockLot.update({ where: { id: lot.id }, data: { quantityAllocated: allocated } });
  context = { organizer, groupOrderId: id, totalFen: orders.reduce((sum, order) => sum + order.totalFen, 0) };
}, 120_000);

async function timed<T>(label: string, run: () => Promise<T>) {
  const started = performance.now();
  const result = await run();
  console.info(`[scale] ${label}: ${Math.round(performance.now() - started)} ms`);
  return { result };
}

describe(`a group order of ${ORDERS} orders`, () => {
  it("exports the pickup list and pages the dashboard quickly", async () => {
    const { result: csv } = await timed("pickup CSV", async () => reportCsv(await pickupListTable(context.groupOrderId, "zh")));
    expect(csv.trimEnd().split("\r\n")).toHaveLength(ORDERS + 1);
    const { result: xlsx } = await timed("pickup XLSX", async () => reportXlsx(await pickupListTable(context.groupOrderId, "zh")));
    expect(xlsx.subarray(0, 2).toString()).toBe("PK");
    const { result: page } = await timed("dashboard search page", () =>
      groupOrderDashboard(context.groupOrderId, { q: "职工19", page: 1 }),
    );
    expect(page.count).toBe(111);
  });

  it("settles every order through the job, chunk by chunk, and the audit finds no difference", async () => {
    await closeGroupOrderEarly(context.organizer, context.groupOrderId);
    const { result } = await timed("unit settlement", () =>
      settleNow(context.organizer, context.groupOrderId, {
        amountFen: context.totalFen,
        reference: "BULK-1",
        paidOn: new Date("2026-07-05"),
      }),
    );
    expect(result.orders).toBe(ORDERS);
    expect(result.task).toMatchObject({ status: "done", done: ORDERS, total: ORDERS });
    expect((await auditLedger()).differences).toEqual([]);
    const ledger = await db.ledgerEntry.aggregate({ _sum: { amountFen: true } });
    expect(ledger._sum.amountFen).toBe(context.totalFen);
  }, 180_000);
});
