// Counted purchases (issue 16, point 2): an order counts toward its unit's year once paid and received, net of
// refunds, in the shop's calendar year of receipt — whichever way it was received. Every figure is read through the
// one SQL definition ("purchase_lines") with an explicit clock.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { unitBuyers, unitMonthly, unitsYear } from "~/domain/purchases/counted.server";
import { confirmGroupPickup, confirmReceiptByBuyer, saveAutoReceiptDays } from "~/domain/purchases/receipt.server";
import { getOrderPageForBuyer } from "~/domain/shop/orders.server";
import { currentShopYear, shopDayStart } from "~/utils/dates";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee } from "../fixtures";
import { signedIn } from "../route-helpers";
import { BAG_FEN, paidGroupOrder, purchaseShop } from "./helpers";

const DAY = 24 * 60 * 60 * 1000;

let setup: Awaited<ReturnType<typeof purchaseShop>>;

beforeEach(async () => {
  await truncateAllTables();
  setup = await purchaseShop();
});

/** When the buyer's order page says the order counted, as of `now`. */
const countedAt = async (buyerId: string, number: string, now: Date) =>
  (await getOrderPageForBuyer(buyerId, number, now))!.receipt.countedAt;

const unitFigures = async (year: number, now: Date) => (await unitsYear(year, now)).find((row) => row.unitId === setup.shop.unit.id)!;

describe("what counts", () => {
  it("does not count a paid order before it is received, and counts it in full once the buyer confirms", async () => {
    const paidAt = shopDayStart("2026-06-10");
    const buyer = await createEmployee(setup.shop.unit.id);
    const order = await paidGroupOrder(setup, buyer.id, 3, paidAt);
    const later = new Date(paidAt.getTime() + DAY);
    expect(await unitFigures(2026, later)).toMatchObject({ countedFen: 0, pendingFen: 3 * BAG_FEN, orders: 0 });

    await confirmReceiptByBuyer(buyer.id, order.number, later);
    expect(await unitFigures(2026, later)).toMatchObject({ countedFen: 3 * BAG_FEN, pendingFen: 0, orders: 1, buyers: 1 });
    expect((await unitMonthly(setup.shop.unit.id, 2026, later))[5]).toEqual({ month: 6, countedFen: 3 * BAG_FEN });
    expect(await unitBuyers(setup.shop.unit.id, 2026, later)).toEqual([
      { userId: buyer.id, name: buyer.name, orders: 1, countedFen: 3 * BAG_FEN },
    ]);
  });

  it("takes a partial refund off by exactly the refunded amount, and a full refund off entirely", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const order = await paidGroupOrder(setup, buyer.id, 5);
    await confirmReceiptByBuyer(buyer.id, order.number);
    const { user: coop } = await signedIn(["coop"], setup.shop.village.id);
    const refund = await refundOrder({
      orderId: order.id,
      actorId: coop.id,
      villageId: setup.shop.village.id,
      idempotencyKey: "two",
      reason: "破损",
      lines: [{ orderLineId: order.lines[0]!.id, quantity: 2 }],
    });
    const now = new Date(Date.now() + 1000);
    const year = currentShopYear(now);
    expect(refund.amountFen).toBe(2 * BAG_FEN);
    expect((await unitFigures(year, now)).countedFen).toBe(5 * BAG_FEN - refund.amountFen);

    await refundOrder({ orderId: order.id, actorId: coop.id, villageId: setup.shop.village.id, idempotencyKey: "rest", reason: "取消" });
    expect((await unitFigures(year, now)).countedFen).toBe(0);
  });

  it("counts an order delivered N days ago without any confirmation (7 by default, then the setting)", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const paidAt = shopDayStart("2026-05-01");
    const order = await paidGroupOrder(setup, buyer.id, 2, paidAt);
    const deliveredAt = shopDayStart("2026-05-03");
    await db.order.update({ where: { id: order.id }, data: { fulfilmentStatus: "delivered", deliveredAt } });
    const at = (days: number) => new Date(deliveredAt.getTime() + days * DAY);

    expect(await countedAt(buyer.id, order.number, new Date(at(7).getTime() - 1))).toBeNull();
    expect(await countedAt(buyer.id, order.number, at(7))).toEqual(at(7));
    expect((await unitFigures(2026, at(6))).countedFen).toBe(0);
    expect((await unitFigures(2026, at(7))).countedFen).toBe(2 * BAG_FEN);

    const { user: admin } = await signedIn(["admin"], null);
    await saveAutoReceiptDays(admin.id, 3);
    expect((await unitFigures(2026, at(3))).countedFen).toBe(2 * BAG_FEN);
    expect((await unitFigures(2026, at(2))).countedFen).toBe(0);
  });

  it("counts a receipt at 00:30 on 1 January in Anshang in the new year", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const order = await paidGroupOrder(setup, buyer.id, 1, shopDayStart("2026-12-30"));
    const receivedAt = new Date(shopDayStart("2027-01-01").getTime() + 30 * 60 * 1000);
    expect(receivedAt.toISOString()).toBe("2026-12-31T16:30:00.000Z");
    await confirmReceiptByBuyer(buyer.id, order.number, receivedAt);
    const now = new Date(receivedAt.getTime() + DAY);
    expect((await unitFigures(2026, now)).countedFen).toBe(0);
    expect((await unitFigures(2027, now)).countedFen).toBe(BAG_FEN);
    expect((await unitMonthly(setup.shop.unit.id, 2027, now))[0]!.countedFen).toBe(BAG_FEN);
  });

  it("counts an order picked up before its unit paid when it is paid, not before", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const order = await paidGroupOrder(setup, buyer.id, 1, shopDayStart("2026-03-02"));
    await db.order.update({ where: { id: order.id }, data: { receivedAt: shopDayStart("2026-02-27"), receivedBy: "organizer" } });
    expect(await countedAt(buyer.id, order.number, shopDayStart("2026-03-05"))).toEqual(shopDayStart("2026-03-02"));
  });
});

describe("confirming receipt", () => {
  it("refuses an unpaid order and another buyer's order, writing nothing, and takes a second tap as done", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const other = await createEmployee(setup.shop.unit.id);
    const order = await paidGroupOrder(setup, buyer.id, 1);
    await expect(confirmReceiptByBuyer(other.id, order.number)).rejects.toMatchObject({ status: 404 });
    await db.order.update({ where: { id: order.id }, data: { status: "pending_payment" } });
    await expect(confirmReceiptByBuyer(buyer.id, order.number)).rejects.toMatchObject({ status: 409, code: "purchases.errors.notPaid" });
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).receivedAt).toBeNull();
    expect(await db.auditLog.count({ where: { action: "order.received" } })).toBe(0);

    await db.order.update({ where: { id: order.id }, data: { status: "paid" } });
    const first = await confirmReceiptByBuyer(buyer.id, order.number);
    const second = await confirmReceiptByBuyer(buyer.id, order.number);
    expect(second).toEqual({ receivedAt: first.receivedAt, already: true });
    expect(await db.auditLog.count({ where: { action: "order.received" } })).toBe(1);
  });

  it("lets the organizer confirm the pickup of a closed group order for their unit's orders in one go", async () => {
    const buyers = [await createEmployee(setup.shop.unit.id), await createEmployee(setup.shop.unit.id)];
    for (const buyer of buyers) await paidGroupOrder(setup, buyer.id, 2);
    const organizer = { id: setup.organizer.id, unitId: setup.shop.unit.id, roles: ["employee", "organizer"] as const };
    await expect(confirmGroupPickup({ ...organizer, roles: [...organizer.roles] }, setup.group.id)).rejects.toMatchObject({
      status: 409,
      code: "purchases.errors.notClosed",
    });
    await db.groupOrder.update({ where: { id: setup.group.id }, data: { status: "closed" } });
    const outsider = await createEmployee(null);
    await expect(confirmGroupPickup({ id: outsider.id, unitId: null, roles: ["organizer"] }, setup.group.id)).rejects.toMatchObject({
      status: 403,
    });
    expect(await confirmGroupPickup({ ...organizer, roles: [...organizer.roles] }, setup.group.id)).toEqual({ orders: 2 });
    expect(await confirmGroupPickup({ ...organizer, roles: [...organizer.roles] }, setup.group.id)).toEqual({ orders: 0 });
    const now = new Date(Date.now() + 1000);
    expect((await unitFigures(currentShopYear(now), now)).countedFen).toBe(4 * BAG_FEN);
  });
});
