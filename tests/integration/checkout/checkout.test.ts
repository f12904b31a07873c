import { beforeEach, describe, expect, it } from "vitest";
import { db, queryRows } from "~/db/client.server";
import { isDomainError } from "~/domain/errors";
import { expireOverdueOrders, placeOrder, soldOutRaised, type PlaceOrderInput } from "~/domain/shop/checkout.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createGroupOrder, createLot, createShop, deliveryOrderInput, lotState } from "../fixtures";

type Shop = Awaited<ReturnType<typeof createShop>>;
let shop: Shop;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
});

const delivery = (userId: string, quantity: number, overrides: Partial<PlaceOrderInput> = {}) =>
  deliveryOrderInput(shop, userId, quantity, overrides);

/** What placing was refused with (every problem, as refusals of one DomainError); fails if the order was placed. */
async function refused(placing: Promise<unknown>) {
  const error = await placing.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!isDomainError(error)) throw new Error(`Expected a refusal, got ${String(error)}`);
  return error.refusals;
}

async function confirm(orderId: string) {
  return db.$transaction((tx) => confirmOrderPayment(tx, orderId, null, new Date()));
}

describe("reservation", () => {
  it("takes the lot that expires first, never one past its best-before date, splitting across lots", async () => {
    const stale = await createLot(shop, 50, -1);
    const later = await createLot(shop, 8, 12);
    const sooner = await createLot(shop, 6, 5);
    const buyer = await createEmployee(shop.unit.id);
    await placeOrder(delivery(buyer.id, 10));
    const allocations = await db.allocation.findMany({ orderBy: { quantity: "desc" }, select: { lotId: true, quantity: true } });
    expect(allocations).toEqual([
      { lotId: sooner.id, quantity: 6 },
      { lotId: later.id, quantity: 4 },
    ]);
    expect((await lotState(stale.id)).quantityAllocated).toBe(0);
    const order = await db.order.findFirstOrThrow();
    expect(order).toMatchObject({ subtotalFen: 88000, deliveryFeeFen: 1200, totalFen: 89200, status: "pending_payment" });
    expect(order.expiresAt!.getTime() - order.createdAt.getTime()).toBe(30 * 60_000);
  });

  it("never oversells: 50 concurrent checkouts for 20 units place exactly 20 orders", async () => {
    const lots = [await createLot(shop, 12), await createLot(shop, 8)];
    const buyers = await Promise.all(Array.from({ length: 50 }, () => createEmployee(shop.unit.id)));
    const results = await Promise.allSettled(buyers.map((buyer) => placeOrder(delivery(buyer.id, 1))));
    const placed = results.filter((r) => r.status === "fulfilled");
    const soldOut = results.filter(
      (r) =>
        r.status === "rejected" && isDomainError(r.reason) && r.reason.status === 409 && r.reason.code === "checkout.problems.sold_out",
    );
    expect(placed).toHaveLength(20);
    expect(soldOut).toHaveLength(30);
    expect(await db.order.count()).toBe(20);
    for (const lot of lots) {
      const state = await lotState(lot.id);
      expect(state.quantityAllocated).toBe(state.quantityReceived);
    }
    const allocated = await db.allocation.aggregate({ _sum: { quantity: true } });
    expect(allocated._sum.quantity).toBe(20);
    const late = await refused(placeOrder(delivery((await createEmployee(shop.unit.id)).id, 1)));
    expect(late).toEqual([{ code: "checkout.problems.sold_out", params: { skuId: shop.sku.id, available: 0 } }]);
  });

  it("answers a retried submission with the order it already placed, even concurrently", async () => {
    await createLot(shop, 20);
    const buyer = await createEmployee(shop.unit.id);
    const input = delivery(buyer.id, 2);
    const [a, b] = await Promise.all([placeOrder(input), placeOrder(input)]);
    const again = await placeOrder(input);
    const ids = new Set([a, b, again].map((r) => r.order.id));
    expect(ids.size).toBe(1);
    expect(again.replayed).toBe(true);
    expect(await db.order.count()).toBe(1);
  });
});

describe("bad input writes nothing", () => {
  beforeEach(async () => {
    await createLot(shop, 20);
  });

  it.each([0, -1, 1.5, 1_000_000, Number.NaN])("refuses a quantity of %s", async (quantity) => {
    const buyer = await createEmployee(shop.unit.id);
    const refusals = await refused(placeOrder(delivery(buyer.id, quantity)));
    expect(refusals.map((r) => r.code)).toEqual(["checkout.problems.over_limit"]);
    expect(await db.order.count()).toBe(0);
  });

  it("refuses more than the SKU's per-order maximum", async () => {
    const buyer = await createEmployee(shop.unit.id);
    expect(await refused(placeOrder(delivery(buyer.id, 11)))).toEqual([
      { code: "checkout.problems.over_limit", params: { skuId: shop.sku.id, limit: 10 } },
    ]);
  });

  it("says what changed when the price moved since the cart was filled", async () => {
    await db.sku.update({ where: { id: shop.sku.id }, data: { priceFen: 9200 } });
    const buyer = await createEmployee(shop.unit.id);
    expect(await refused(placeOrder(delivery(buyer.id, 1)))).toEqual([
      { code: "checkout.problems.price_changed", params: { skuId: shop.sku.id, expectedFen: 8800, currentFen: 9200 } },
    ]);
    expect(await db.order.count()).toBe(0);
    expect((await db.stockLot.findFirstOrThrow()).quantityAllocated).toBe(0);
  });

  it("refuses unknown and inactive SKUs", async () => {
    const buyer = await createEmployee(shop.unit.id);
    const unknown = placeOrder({ ...delivery(buyer.id, 1), lines: [{ skuId: "nope", quantity: 1, expectedUnitPriceFen: 1 }] });
    expect(await refused(unknown)).toEqual([{ code: "checkout.problems.unknown_sku", params: { skuId: "nope" } }]);
    await db.sku.update({ where: { id: shop.sku.id }, data: { active: false } });
    expect(await refused(placeOrder(delivery(buyer.id, 1)))).toEqual([
      { code: "checkout.problems.inactive", params: { skuId: shop.sku.id } },
    ]);
    expect(await db.order.count()).toBe(0);
  });

  it("refuses card payment when Stripe is not configured, and unit settlement for home delivery", async () => {
    const buyer = await createEmployee(shop.unit.id);
    const noCard = await refused(placeOrder(delivery(buyer.id, 1, { cardPaymentConfigured: false })));
    expect(noCard).toEqual([{ code: "checkout.problems.card_not_configured", field: "paymentMethod" }]);
    const settlement = await refused(placeOrder(delivery(buyer.id, 1, { paymentMethod: "unit_settlement" })));
    expect(settlement).toEqual([{ code: "checkout.problems.payment_not_allowed", field: "paymentMethod" }]);
  });
});

describe("group orders", () => {
  beforeEach(async () => {
    await createLot(shop, 40);
  });

  const join = (userId: string, groupOrderId: string, quantity: number, paymentMethod: "card" | "unit_settlement" = "unit_settlement") =>
    placeOrder({ ...delivery(userId, quantity), fulfilment: { kind: "group_pickup", groupOrderId }, paymentMethod });

  it("joins an open group order of the buyer's unit with unit settlement and no delivery fee", async () => {
    const buyer = await createEmployee(shop.unit.id);
    const group = await createGroupOrder(shop, buyer.id);
    await join(buyer.id, group.id, 3);
    expect(await db.order.findFirstOrThrow()).toMatchObject({
      groupOrderId: group.id,
      deliveryFeeFen: 0,
      totalFen: 26400,
      expiresAt: null,
      fulfilment: "group_pickup",
    });
  });

  it("refuses a group order that closed a second ago", async () => {
    const buyer = await createEmployee(shop.unit.id);
    const group = await createGroupOrder(shop, buyer.id, { closesInMs: -1000 });
    expect(await refused(join(buyer.id, group.id, 1))).toEqual([{ code: "checkout.problems.group_not_open", field: "fulfilment" }]);
  });

  it("refuses a buyer from a unit that was not invited", async () => {
    const organizer = await createEmployee(shop.unit.id);
    const group = await createGroupOrder(shop, organizer.id);
    const otherUnit = await db.unit.create({ data: { code: "OTHER", name: "别的单位", nameEn: "Other" } });
    const outsider = await createEmployee(otherUnit.id);
    expect(await refused(join(outsider.id, group.id, 1))).toEqual([{ code: "checkout.problems.not_invited", field: "fulfilment" }]);
  });

  it("keeps the per-person limit across a buyer's orders", async () => {
    const buyer = await createEmployee(shop.unit.id);
    const group = await createGroupOrder(shop, buyer.id, { perPersonLimit: 5 });
    await join(buyer.id, group.id, 3);
    expect(await refused(join(buyer.id, group.id, 3))).toEqual([
      { code: "checkout.problems.over_limit", params: { skuId: shop.sku.id, limit: 2 } },
    ]);
  });

  it("refuses a payment mode the group order does not allow", async () => {
    const buyer = await createEmployee(shop.unit.id);
    const group = await createGroupOrder(shop, buyer.id, { allowUnitSettlement: false });
    expect(await refused(join(buyer.id, group.id, 1))).toEqual([{ code: "checkout.problems.payment_not_allowed", field: "paymentMethod" }]);
  });
});

describe("payment and expiry", () => {
  it("credits each allocation's household and the cooperative's fee, to the fen, once", async () => {
    const first = await createLot(shop, 5, 3);
    const second = await createLot(shop, 10, 6);
    const buyer = await createEmployee(shop.unit.id);
    const result = await placeOrder(delivery(buyer.id, 7));
    expect(await confirm(result.order.id)).toBe("credited");
    expect(await confirm(result.order.id)).toBe("already_paid");
    const entries = await db.ledgerEntry.findMany({ orderBy: { id: "asc" }, select: { kind: true, householdId: true, amountFen: true } });
    expect(entries).toHaveLength(4);
    const total = entries.reduce((sum, e) => sum + e.amountFen, 0);
    expect(total).toBe(7 * 8800);
    const credits = entries.filter((e) => e.kind === "sale_credit");
    expect(credits).toEqual([
      { kind: "sale_credit", householdId: first.householdId, amountFen: 5 * 8800 - 3520 },
      { kind: "sale_credit", householdId: second.householdId, amountFen: 2 * 8800 - 1408 },
    ]);
    expect(await db.order.findUniqueOrThrow({ where: { id: result.order.id } })).toMatchObject({ status: "paid", expiresAt: null });
  });

  it("releases the stock of unpaid card orders once their window has passed", async () => {
    const lot = await createLot(shop, 5);
    const buyer = await createEmployee(shop.unit.id);
    const unpaid = await placeOrder(delivery(buyer.id, 2));
    const paid = await placeOrder(delivery(buyer.id, 1));
    await confirm(paid.order.id);
    expect(await expireOverdueOrders(new Date(Date.now() + 29 * 60_000))).toBe(0);
    expect(await expireOverdueOrders(new Date(Date.now() + 31 * 60_000))).toBe(1);
    expect(await db.order.findUniqueOrThrow({ where: { id: unpaid.order.id } })).toMatchObject({ status: "expired" });
    expect(await db.order.findUniqueOrThrow({ where: { id: paid.order.id } })).toMatchObject({ status: "paid" });
    expect((await lotState(lot.id)).quantityAllocated).toBe(1);
    expect(await expireOverdueOrders(new Date(Date.now() + 60 * 60_000))).toBe(0);
  });

  it("takes stock again for a payment that arrives after expiry, or flags it for a refund when sold out", async () => {
    const lot = await createLot(shop, 2);
    const buyer = await createEmployee(shop.unit.id);
    const late = await placeOrder(delivery(buyer.id, 2));
    await expireOverdueOrders(new Date(Date.now() + 31 * 60_000));
    expect(await confirm(late.order.id)).toBe("credited");
    expect((await lotState(lot.id)).quantityAllocated).toBe(2);

    expect((await refused(placeOrder(delivery(buyer.id, 1, { paymentMethod: "card" })))).map((r) => r.code)).toEqual([
      "checkout.problems.sold_out",
    ]);
    await db.stockLot.update({ where: { id: lot.id }, data: { quantityReceived: 3 } });
    const lapsed = await placeOrder(delivery(buyer.id, 1));
    await expireOverdueOrders(new Date(Date.now() + 31 * 60_000));
    await createEmployee(shop.unit.id).then((rival) => placeOrder(delivery(rival.id, 1)));
    expect(await confirm(lapsed.order.id)).toBe("needs_refund");
    expect(await db.order.findUniqueOrThrow({ where: { id: lapsed.order.id } })).toMatchObject({ status: "expired" });
    expect(await db.auditLog.count({ where: { action: "payment.needs_refund", entityId: lapsed.order.id } })).toBe(1);
    expect((await lotState(lot.id)).quantityAllocated).toBe(3);
  });
});

describe("a line that runs short under the lots' locks", () => {
  it("is read from place_order's error as sold out, with the units left", async () => {
    const raised = await db.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'sold_out sku-1 3'; END $$`).catch((error: unknown) => error);
    expect(soldOutRaised(raised)).toEqual({ kind: "sold_out", skuId: "sku-1", available: 3 });
    const raisedOnPool = await queryRows("test", `DO $$ BEGIN RAISE EXCEPTION 'sold_out sku-1 3'; END $$`, []).catch(
      (error: unknown) => error,
    );
    expect(soldOutRaised(raisedOnPool)).toEqual({ kind: "sold_out", skuId: "sku-1", available: 3 });
    expect(soldOutRaised(new Error("sold_out sku-1 3"))).toBeNull();
  });
});
