import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { refundIdFor, refundOrder } from "~/domain/cooperative/refunds.server";
import { lotState } from "../fixtures";
import {
  DELIVERY_FEE_FEN,
  PRICE_FEN,
  createCoopUser,
  expectLedgerInvariants,
  householdIncome,
  ledgerCount,
  paidOrder,
  useFakeStripe,
} from "./fixtures";

const { stripe } = useFakeStripe();

type Placed = Awaited<ReturnType<typeof paidOrder>>;

function refund(placed: Placed, idempotencyKey: string, units?: number) {
  return refundOrder({
    orderId: placed.order.id,
    actorId: placed.coop.id,
    villageId: placed.coop.villageId,
    idempotencyKey,
    reason: "坏果",
    ...(units === undefined ? {} : { lines: [{ orderLineId: placed.line.id, quantity: units }] }),
  });
}

async function allocated(placed: Placed) {
  return Promise.all(placed.lots.map(async (lot) => (await lotState(lot.id)).quantityAllocated));
}

async function reversalsOf(refundId: string) {
  return db.ledgerEntry.findMany({
    where: { refundId },
    orderBy: { entryKey: "asc" },
    select: { entryKey: true, kind: true, amountFen: true, householdId: true, allocationId: true },
  });
}

describe("refunding a card order", () => {
  it("refunds k units from the last allocated lot first, through Stripe with the refund's idempotency key, keeping the invariants", async () => {
    // 7 units from lots of 2, 2 and 10: allocations of 2, 2 and 3 units at ¥33.33, fee 8%.
    const placed = await paidOrder(7, [2, 2, 10]);
    const households = placed.lots.map((l) => l.householdId);
    const before = await householdIncome();
    expect(households.map((h) => before.get(h))).toEqual([6133, 6133, 9199]);
    await expectLedgerInvariants(placed.order.id);

    const first = await refund(placed, "r1", 2);
    expect(first).toMatchObject({ amountFen: 2 * PRICE_FEN, orderStatus: "paid", replayed: false });
    expect(stripe.refundRequests).toHaveLength(1);
    expect(stripe.refundRequests[0]!.idempotencyKey).toBe(`refund:${first.refundId}`);
    expect(stripe.refundRequests[0]!.params).toMatchObject({ payment_intent: placed.paymentIntent, amount: "6666" });
    const stored = await db.refund.findUniqueOrThrow({ where: { id: first.refundId }, include: { lines: true } });
    expect(stored.stripeRefundId).toBe(stripe.refunds[0]!.id);
    expect(stored.lines).toEqual([expect.objectContaining({ orderLineId: placed.line.id, quantity: 2, amountFen: 6666 })]);
    // Only the third lot's allocation (3 units: share 9999, fee 800) gives up 2 units; 1 unit is kept: 3333, fee 267.
    const lastAllocation = await db.allocation.findFirstOrThrow({ where: { lotId: placed.lots[2]!.id } });
    expect(await reversalsOf(first.refundId)).toEqual([
      {
        entryKey: `fee-reversal:${first.refundId}:${lastAllocation.id}`,
        kind: "fee_reversal",
        amountFen: -533,
        householdId: null,
        allocationId: lastAllocation.id,
      },
      {
        entryKey: `reversal:${first.refundId}:${lastAllocation.id}`,
        kind: "sale_reversal",
        amountFen: -6133,
        householdId: households[2],
        allocationId: lastAllocation.id,
      },
    ]);
    expect(await allocated(placed)).toEqual([2, 2, 1]);
    await expectLedgerInvariants(placed.order.id);

    // 3 more: the last unit of the third lot, then 2 of the second lot.
    const second = await refund(placed, "r2", 3);
    expect(second).toMatchObject({ amountFen: 3 * PRICE_FEN, orderStatus: "paid" });
    expect(await allocated(placed)).toEqual([2, 0, 0]);
    const afterSecond = await householdIncome();
    expect(households.map((h) => afterSecond.get(h))).toEqual([6133, 0, 0]);
    await expectLedgerInvariants(placed.order.id);

    // The rest: the order becomes refunded, and the delivery fee goes back with the last unit.
    const third = await refund(placed, "r3");
    expect(third).toMatchObject({ amountFen: 2 * PRICE_FEN + DELIVERY_FEE_FEN, orderStatus: "refunded" });
    expect(stripe.refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(7 * PRICE_FEN + DELIVERY_FEE_FEN);
    expect(await allocated(placed)).toEqual([0, 0, 0]);
    const afterAll = await householdIncome();
    expect(households.map((h) => afterAll.get(h))).toEqual([0, 0, 0]);
    const fees = await db.ledgerEntry.aggregate({ where: { kind: { in: ["fee", "fee_reversal"] } }, _sum: { amountFen: true } });
    expect(fees._sum.amountFen).toBe(0);
    const order = await db.order.findUniqueOrThrow({
      where: { id: placed.order.id },
      select: { status: true, payments: { select: { status: true } }, lines: { select: { refundedQuantity: true } } },
    });
    expect(order).toEqual({ status: "refunded", payments: [{ status: "refunded" }], lines: [{ refundedQuantity: 7 }] });
    await expectLedgerInvariants(placed.order.id);
  });

  it("answers a retried request with the refund it already made, without a second Stripe call or ledger entry", async () => {
    const placed = await paidOrder(3, [5]);
    const first = await refund(placed, "same-key", 1);
    const entries = await ledgerCount();
    const retried = await refund(placed, "same-key", 1);
    expect(retried).toEqual({ ...first, replayed: true });
    expect(stripe.refundRequests).toHaveLength(1);
    expect(await ledgerCount()).toBe(entries);
    expect(await db.refund.count()).toBe(1);
    await expect(refund(placed, "same-key", 2)).rejects.toMatchObject({ code: "cooperative.errors.refund.key_reused" });
    await expectLedgerInvariants(placed.order.id);
  });

  it("refuses more units than remain, and a second full refund, writing nothing", async () => {
    const placed = await paidOrder(3, [5]);
    const entries = await ledgerCount();
    await expect(refund(placed, "too-many", 4)).rejects.toMatchObject({ code: "cooperative.errors.refund.too_many_units" });
    await expect(refund(placed, "zero", 0)).rejects.toMatchObject({ code: "cooperative.errors.refund.too_many_units" });
    expect(await ledgerCount()).toBe(entries);
    expect(stripe.refundRequests).toHaveLength(0);

    await refund(placed, "full");
    const afterFull = await ledgerCount();
    await expect(refund(placed, "full-again")).rejects.toMatchObject({ code: "cooperative.errors.refund.nothing_to_refund" });
    await expect(refund(placed, "one-more", 1)).rejects.toMatchObject({ code: "cooperative.errors.refund.nothing_to_refund" });
    expect(await ledgerCount()).toBe(afterFull);
    expect(await db.refund.count()).toBe(1);
    expect(stripe.refundRequests).toHaveLength(1);
    await expectLedgerInvariants(placed.order.id);
  });

  it("writes nothing when Stripe refuses the refund", async () => {
    const placed = await paidOrder(3, [5]);
    stripe.refundableFen.set(placed.paymentIntent, PRICE_FEN);
    const entries = await ledgerCount();
    await expect(refund(placed, "refused", 2)).rejects.toMatchObject({ code: "cooperative.errors.refund.stripe_refused", status: 502 });
    expect(await ledgerCount()).toBe(entries);
    expect(await db.refund.count()).toBe(0);
    expect(await allocated(placed)).toEqual([3]);
    const line = await db.orderLine.findUniqueOrThrow({ where: { id: placed.line.id } });
    expect(line.refundedQuantity).toBe(0);
    await expectLedgerInvariants(placed.order.id);
  });

  it("uses the same Stripe idempotency key when a request is retried after its first attempt was not recorded", () => {
    expect(refundIdFor("order-1", "k")).toBe(refundIdFor("order-1", "k"));
    expect(refundIdFor("order-1", "k")).not.toBe(refundIdFor("order-2", "k"));
  });

  it("keeps the units with the buyer once the goods have shipped", async () => {
    const placed = await paidOrder(4, [10]);
    await db.order.update({ where: { id: placed.order.id }, data: { fulfilmentStatus: "shipped" } });
    await refund(placed, "after-shipping", 2);
    expect(await allocated(placed)).toEqual([4]);
    await expectLedgerInvariants(placed.order.id);
  });
});

describe("refunding a unit-settled order", () => {
  it("records the refund without calling Stripe", async () => {
    const placed = await paidOrder(5, [2, 10], "unit_settlement");
    const result = await refund(placed, "settled", 4);
    expect(result).toMatchObject({ amountFen: 4 * PRICE_FEN, orderStatus: "paid" });
    expect(stripe.refundRequests).toHaveLength(0);
    expect(await allocated(placed)).toEqual([1, 0]);
    await expectLedgerInvariants(placed.order.id);
    await refund(placed, "settled-rest");
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.order.id }, select: { status: true } })).toEqual({ status: "refunded" });
    await expectLedgerInvariants(placed.order.id);
  });
});

describe("who may refund", () => {
  it("refuses a coop user of another village, and one with no village", async () => {
    const placed = await paidOrder(2, [5]);
    const otherVillage = await db.village.create({ data: { name: "别村", nameEn: "Other", county: "魏县" } });
    await db.cooperative.create({ data: { villageId: otherVillage.id, name: "别社", nameEn: "Other co-op", deliveryFeeFen: 0 } });
    const outsider = await createCoopUser(otherVillage.id);
    const nobody = await createCoopUser(null);
    for (const user of [outsider, nobody]) {
      await expect(
        refundOrder({ orderId: placed.order.id, actorId: user.id, villageId: user.villageId, idempotencyKey: `x-${user.id}`, reason: "x" }),
      ).rejects.toMatchObject({ status: 403 });
    }
    expect(await db.refund.count()).toBe(0);
    expect(stripe.refundRequests).toHaveLength(0);
  });
});
