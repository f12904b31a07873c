import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { closeGroupOrderEarly, markGroupOrderDelivered } from "~/domain/group-orders/commands.server";
import { getGroupOrderForOrganizer } from "~/domain/group-orders/access.server";
import { DomainError } from "~/domain/errors";
import { startSettlement } from "~/domain/group-orders/bulk.server";
import { pendingUnitSettlements } from "~/domain/group-orders/settlement.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop } from "../fixtures";
import { createUserWithRoles, problemsOf, joinGroupOrder, openGroupOrder, settleNow } from "./helpers";

type Shop = Awaited<ReturnType<typeof createShop>>;
let shop: Shop;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop({ feeRateBp: 800, priceFen: 8800 });
});

/** A closed group order with three unit-settled orders (1, 2 and 3 units over two lots) and one card order. */
async function closedGroupOrder() {
  await createLot(shop, 4, 5);
  await createLot(shop, 10, 9);
  const organizer = await createUserWithRoles(shop.unit.id, ["employee", "organizer"]);
  const { id } = await openGroupOrder(shop, organizer);
  const orders = [];
  for (const quantity of [1, 2, 3]) orders.push(await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, quantity));
  const card = await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 1, "card");
  await closeGroupOrderEarly(organizer, id);
  return { organizer, id, orders, card };
}

const settlement = (amountFen: number) => ({ amountFen, reference: "ICBC-20260705-001", paidOn: new Date("2026-07-05") });

describe("unit settlement", () => {
  it("confirms every unit-settled order and credits the households exactly the line totals", async () => {
    const { organizer, id, orders, card } = await closedGroupOrder();
    expect(await pendingUnitSettlements(id, null)).toMatchObject([{ unitId: shop.unit.id, orders: 3, totalFen: 6 * 8800 }]);
    const result = await settleNow(organizer, id, settlement(6 * 8800));
    expect(result.orders).toBe(3);
    expect(result.task).toMatchObject({ status: "done", done: 3, total: 3, outcome: { credited: 3, already_paid: 0, needs_refund: 0 } });
    const paid = await db.order.findMany({ where: { id: { in: orders.map((o) => o.id) } }, select: { status: true, paidAt: true } });
    expect(paid.every((o) => o.status === "paid" && o.paidAt)).toBe(true);
    expect((await db.order.findUniqueOrThrow({ where: { id: card.id } })).status).toBe("pending_payment");
    const payments = await db.payment.findMany({ where: { settlement: { groupOrderId: id } } });
    expect(payments).toHaveLength(3);
    expect(payments.every((p) => p.method === "unit_settlement" && p.status === "succeeded")).toBe(true);
    expect(payments.reduce((sum, p) => sum + p.amountFen, 0)).toBe(6 * 8800);
    const ledger = await db.ledgerEntry.groupBy({
      by: ["kind"],
      where: { orderId: { in: orders.map((o) => o.id) } },
      _sum: { amountFen: true },
    });
    const sums = Object.fromEntries(ledger.map((row) => [row.kind, row._sum.amountFen]));
    // Household credits and the cooperative's fee together are the line totals, to the fen.
    expect((sums.sale_credit ?? 0) + (sums.fee ?? 0)).toBe(6 * 8800);
    expect(sums.fee).toBe(Math.round(6 * 8800 * 0.08));
    const lines = await db.orderLine.aggregate({ where: { orderId: { in: orders.map((o) => o.id) } }, _sum: { lineTotalFen: true } });
    expect((sums.sale_credit ?? 0) + (sums.fee ?? 0)).toBe(lines._sum.lineTotalFen);
    expect(await db.auditLog.count({ where: { action: "group_order.settle", entityId: id } })).toBe(1);
    // Settled once delivered.
    await markGroupOrderDelivered(organizer, id);
    expect((await getGroupOrderForOrganizer(organizer, id)).state).toBe("settled");
  });

  it("refuses an amount that is not the orders' total, and writes nothing", async () => {
    const { organizer, id } = await closedGroupOrder();
    expect(await problemsOf(startSettlement(organizer, id, shop.unit.id, settlement(6 * 8800 - 1)))).toEqual(["amountMismatch"]);
    expect(await db.unitSettlement.count()).toBe(0);
    expect(await db.payment.count({ where: { method: "unit_settlement" } })).toBe(0);
    expect(await db.ledgerEntry.count()).toBe(0);
    expect(await db.order.count({ where: { status: "paid" } })).toBe(0);
  });

  it("records one settlement however often it is submitted, even at once", async () => {
    const { organizer, id } = await closedGroupOrder();
    const outcomes = await Promise.allSettled([
      startSettlement(organizer, id, shop.unit.id, settlement(6 * 8800)),
      startSettlement(organizer, id, shop.unit.id, settlement(6 * 8800)),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DomainError);
    expect((refused.reason as DomainError).code).toBe("groupOrders.errors.alreadySettled");
    expect(await problemsOf(startSettlement(organizer, id, shop.unit.id, settlement(6 * 8800)))).toEqual(["alreadySettled"]);
    expect(await db.unitSettlement.count()).toBe(1);
    expect(await db.payment.count({ where: { method: "unit_settlement" } })).toBe(3);
  });

  it("is refused while the group order is open, and to an organizer of another unit", async () => {
    await createLot(shop, 10);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 1);
    expect(await problemsOf(startSettlement(organizer, id, shop.unit.id, settlement(8800)))).toEqual(["notAllowedNow"]);
    const other = await db.unit.create({ data: { code: "U-X", name: "其他", nameEn: "Other" } });
    const stranger = await createUserWithRoles(other.id, ["organizer"]);
    await closeGroupOrderEarly(organizer, id);
    await expect(startSettlement(stranger, id, other.id, settlement(8800))).rejects.toMatchObject({ status: 403 });
    expect(await db.unitSettlement.count()).toBe(0);
  });
});
