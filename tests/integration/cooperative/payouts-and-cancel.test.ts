import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { placeOrder } from "~/domain/shop/checkout.server";
import { advanceFulfilment, cancelUnpaidOrder } from "~/domain/cooperative/fulfilment.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { householdBalance, recordPayout } from "~/domain/cooperative/payouts.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop, deliveryOrderInput, lotState } from "../fixtures";
import { createCoopUser, expectLedgerInvariants, paidOrder } from "./fixtures";

beforeEach(async () => {
  await truncateAllTables();
});

describe("cancelling an unpaid order", () => {
  it("returns its units to the lots, once, and a payment arriving later is flagged for a refund", async () => {
    const shop = await createShop();
    const lot = await createLot(shop, 5);
    const buyer = await createEmployee(shop.unit.id);
    const placed = await placeOrder(deliveryOrderInput(shop, buyer.id, 3));
    const coop = await createCoopUser(shop.village.id);
    expect((await lotState(lot.id)).quantityAllocated).toBe(3);

    expect(await cancelUnpaidOrder(placed.order.id, coop)).toBe(true);
    expect((await lotState(lot.id)).quantityAllocated).toBe(0);
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.order.id }, select: { status: true } })).toEqual({ status: "cancelled" });
    expect(await cancelUnpaidOrder(placed.order.id, coop)).toBe(false);
    expect((await lotState(lot.id)).quantityAllocated).toBe(0);

    expect(await db.$transaction((tx) => confirmOrderPayment(tx, placed.order.id, null, new Date()))).toBe("needs_refund");
    expect(await db.ledgerEntry.count()).toBe(0);
  });

  it("refuses a paid order (that is a refund) and a coop user of another village", async () => {
    const placed = await paidOrder(2, [5]);
    await expect(cancelUnpaidOrder(placed.order.id, placed.coop)).rejects.toMatchObject({
      code: "cooperative.errors.cancelOnlyUnpaid",
      status: 409,
    });
    const other = await createShop();
    const outsider = await createCoopUser(other.village.id);
    await expect(cancelUnpaidOrder(placed.order.id, outsider)).rejects.toMatchObject({ status: 403 });
    expect((await lotState(placed.lots[0]!.id)).quantityAllocated).toBe(2);
  });
});

describe("fulfilment steps", () => {
  it("moves a paid order packed → shipped → delivered, one step at a time", async () => {
    const placed = await paidOrder(2, [5]);
    await expect(advanceFulfilment(placed.order.id, "shipped", placed.coop)).rejects.toMatchObject({
      code: "cooperative.errors.fulfilment.unfulfilled",
      status: 409,
    });
    expect(await advanceFulfilment(placed.order.id, "packed", placed.coop)).toBe(true);
    expect(await advanceFulfilment(placed.order.id, "packed", placed.coop)).toBe(false);
    expect(await advanceFulfilment(placed.order.id, "shipped", placed.coop)).toBe(true);
    expect(await advanceFulfilment(placed.order.id, "delivered", placed.coop)).toBe(true);
    const order = await db.order.findUniqueOrThrow({
      where: { id: placed.order.id },
      select: { fulfilmentStatus: true, packedAt: true, shippedAt: true, deliveredAt: true },
    });
    expect(order.fulfilmentStatus).toBe("delivered");
    expect([order.packedAt, order.shippedAt, order.deliveredAt].every(Boolean)).toBe(true);
  });
});

describe("payouts to a household", () => {
  const payout = (placed: Awaited<ReturnType<typeof paidOrder>>, amountFen: number, idempotencyKey: string, actor = placed.coop) =>
    recordPayout({
      householdId: placed.lots[0]!.householdId,
      amountFen,
      method: "cash",
      reference: "现金 0712",
      paidOn: new Date("2026-07-12"),
      idempotencyKey,
      actor,
    });

  it("pays out up to the balance, never more, as a negative payout entry", async () => {
    // 3 units at ¥33.33 from one lot: share 9999, fee 800, household balance 9199.
    const placed = await paidOrder(3, [5]);
    const household = placed.lots[0]!.householdId;
    expect(await householdBalance(db, household)).toBe(9199);
    const first = await payout(placed, 5000, "p1");
    expect(first).toMatchObject({ balanceAfterFen: 4199, replayed: false });
    const entry = await db.ledgerEntry.findUniqueOrThrow({ where: { entryKey: `payout:${first.payoutId}` } });
    expect(entry).toMatchObject({ kind: "payout", amountFen: -5000, householdId: household, payoutId: first.payoutId });
    await expect(payout(placed, 4200, "p2")).rejects.toMatchObject({
      code: "cooperative.errors.overBalance",
      refusals: [{ field: "amount", params: { amount: "¥41.99" } }],
    });
    expect(await payout(placed, 4199, "p3")).toMatchObject({ balanceAfterFen: 0 });
    expect(await householdBalance(db, household)).toBe(0);
    await expect(payout(placed, 1, "p4")).rejects.toMatchObject({ code: "cooperative.errors.overBalance" });
    await expect(payout(placed, 0, "p5")).rejects.toMatchObject({ code: "cooperative.errors.amount" });
    await expect(payout(placed, 1.5, "p6")).rejects.toMatchObject({ code: "cooperative.errors.amount" });
    await expectLedgerInvariants(placed.order.id);
  });

  it("answers a retried payout with the one already recorded", async () => {
    const placed = await paidOrder(3, [5]);
    const first = await payout(placed, 1000, "retry");
    expect(await payout(placed, 1000, "retry")).toMatchObject({ payoutId: first.payoutId, replayed: true });
    await expect(payout(placed, 2000, "retry")).rejects.toMatchObject({ code: "cooperative.errors.keyReused" });
    expect(await db.payout.count()).toBe(1);
    expect(await householdBalance(db, placed.lots[0]!.householdId)).toBe(8199);
  });

  it("lets only one of two concurrent payouts that together exceed the balance through", async () => {
    const placed = await paidOrder(3, [5]);
    const results = await Promise.allSettled([payout(placed, 6000, "a"), payout(placed, 6000, "b")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused && refused.status === "rejected" && refused.reason).toMatchObject({ code: "cooperative.errors.overBalance" });
    expect(await householdBalance(db, placed.lots[0]!.householdId)).toBe(3199);
  });

  it("refuses a coop user of another village", async () => {
    const placed = await paidOrder(3, [5]);
    const other = await createShop();
    const outsider = await createCoopUser(other.village.id);
    await expect(payout(placed, 100, "x", outsider)).rejects.toMatchObject({ status: 403 });
    expect(await db.payout.count()).toBe(0);
  });
});
