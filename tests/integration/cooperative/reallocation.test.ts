import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { expireOrder, placeOrder } from "~/domain/shop/checkout.server";
import { advanceFulfilment, cancelUnpaidOrder, pickingList } from "~/domain/cooperative/fulfilment.server";
import { householdLedger } from "~/domain/households/files.server";
import { auditLedger } from "~/domain/ledger/audit.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { feeFor } from "~/domain/ledger/split";
import { moveAllocation, movedAllocationIdFor, type MoveRequest } from "~/domain/cooperative/reallocation.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { action as orderAction, loader as orderLoader } from "~/routes/coop.orders.$orderId";
import { createEmployee, createLot, createShop, deliveryOrderInput, lotState } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";
import { answerOf, createCoopUser, FEE_RATE_BP, householdIncome, ledgerCount, paidOrder, PRICE_FEN, useFakeStripe } from "./fixtures";

const { stripe } = useFakeStripe();

type Placed = Awaited<ReturnType<typeof paidOrder>>;

/** The live allocation on a lot (the one a move starts from). */
function allocationOn(lotId: string) {
  return db.allocation.findFirstOrThrow({
    where: { lotId, releasedAt: null },
    select: { id: true, quantity: true, refundedQuantity: true },
  });
}

function move(placed: Pick<Placed, "coop">, allocationId: string, toLotId: string, extra: Partial<MoveRequest> = {}) {
  return moveAllocation({ actor: placed.coop, allocationId, toLotId, idempotencyKey: "move-1", ...extra });
}

function refund(placed: Placed, idempotencyKey: string, units: number) {
  return refundOrder({
    orderId: placed.order.id,
    actorId: placed.coop.id,
    villageId: placed.coop.villageId,
    idempotencyKey,
    reason: "坏果",
    lines: [{ orderLineId: placed.line.id, quantity: units }],
  });
}

function entriesOf(orderId: string) {
  return db.ledgerEntry.findMany({
    where: { orderId },
    orderBy: { id: "asc" },
    select: { entryKey: true, kind: true, amountFen: true, householdId: true, allocationId: true },
  });
}

async function allocatedOf(lots: { id: string }[]) {
  return Promise.all(lots.map(async (lot) => (await lotState(lot.id)).quantityAllocated));
}

/** What a household keeps for `units` units sold at the test price: the share less the fee rounded half up. */
const kept = (units: number) => units * PRICE_FEN - feeFor(units * PRICE_FEN, FEE_RATE_BP);

/**
 * DOMAIN §5.2/§5.6 with moved allocations: the line's ledger sum is the price of the units still sold, every lot's
 * household holds what its live allocations keep (moved-away allocations net to zero), and the audit finds nothing.
 */
async function expectBalanced(placed: Placed) {
  const line = await db.orderLine.findUniqueOrThrow({
    where: { id: placed.line.id },
    select: {
      quantity: true,
      refundedQuantity: true,
      allocations: { select: { quantity: true, refundedQuantity: true, releasedAt: true, lot: { select: { householdId: true } } } },
    },
  });
  const [sum] = await db.$queryRaw<{ total: number }[]>`
    SELECT COALESCE(SUM(e."amountFen"), 0)::int AS "total" FROM "LedgerEntry" e JOIN "Allocation" a ON a."id" = e."allocationId"
    WHERE a."orderLineId" = ${placed.line.id}`;
  expect(sum!.total).toBe((line.quantity - line.refundedQuantity) * PRICE_FEN);
  // Refunded units stay on the allocation that had them, moved or not, so the line's count is over all of them.
  expect(line.allocations.reduce((s, a) => s + a.refundedQuantity, 0)).toBe(line.refundedQuantity);
  const income = await householdIncome();
  const expected = new Map<string, number>();
  for (const a of line.allocations) {
    const units = a.releasedAt ? 0 : a.quantity - a.refundedQuantity;
    expected.set(a.lot.householdId, (expected.get(a.lot.householdId) ?? 0) + kept(units));
  }
  for (const [household, fen] of expected) expect(income.get(household) ?? 0, `household ${household}`).toBe(fen);
  expect((await auditLedger()).differences).toEqual([]);
}

async function unpaidOrder(quantity: number, lotSizes: number[]) {
  const shop = await createShop({ priceFen: PRICE_FEN, feeRateBp: FEE_RATE_BP });
  const lots = [];
  for (const [index, size] of lotSizes.entries()) lots.push(await createLot(shop, size, 5 + index));
  const buyer = await createEmployee(shop.unit.id);
  const placed = await placeOrder(deliveryOrderInput(shop, buyer.id, quantity));
  const line = await db.orderLine.findFirstOrThrow({ where: { orderId: placed.order.id }, select: { id: true } });
  return { shop, lots, order: placed.order, line, coop: await createCoopUser(shop.village.id) };
}

describe("moving an allocation of an unpaid order", () => {
  it("swaps the lots' stock, writes no ledger entry, and the payment then credits only the new lot's household", async () => {
    const placed = await unpaidOrder(3, [3, 5]);
    const [spoiled, fresh] = placed.lots as [(typeof placed.lots)[number], (typeof placed.lots)[number]];
    const old = await allocationOn(spoiled.id);
    expect(await allocatedOf(placed.lots)).toEqual([3, 0]);

    const moved = await move(placed, old.id, fresh.id);
    expect(moved).toMatchObject({
      orderId: placed.order.id,
      replacedAllocationId: old.id,
      fromLotId: spoiled.id,
      toLotId: fresh.id,
      quantity: 3,
      transferred: null,
      replayed: false,
    });
    expect(await allocatedOf(placed.lots)).toEqual([0, 3]);
    const released = await db.allocation.findUniqueOrThrow({ where: { id: old.id }, select: { releasedAt: true, replacedById: true } });
    expect(released.releasedAt).not.toBeNull();
    expect(released.replacedById).toBe(moved.allocationId);
    expect(await ledgerCount()).toBe(0);

    const payment = await db.payment.create({
      data: { orderId: placed.order.id, method: "card", status: "succeeded", amountFen: placed.order.totalFen, succeededAt: new Date() },
    });
    expect(await db.$transaction((tx) => confirmOrderPayment(tx, placed.order.id, payment.id, new Date()))).toBe("credited");
    const income = await householdIncome();
    expect(income.get(fresh.householdId)).toBe(kept(3));
    expect(income.has(spoiled.householdId)).toBe(false);
    expect((await entriesOf(placed.order.id)).map((e) => e.entryKey).sort()).toEqual([
      `credit:${moved.allocationId}`,
      `fee:${moved.allocationId}`,
    ]);
    expect((await auditLedger()).differences).toEqual([]);
    // A retry after the payment still answers with the move as it was made: nothing was credited by it.
    expect(await move(placed, old.id, fresh.id)).toEqual({ ...moved, replayed: true });

    // The home-delivery picking list names the new lot and its household, not the spoiled one.
    const list = await pickingList(placed.coop, { delivery: true });
    const freshHousehold = await db.household.findUniqueOrThrow({ where: { id: fresh.householdId }, select: { code: true } });
    expect(list.map((h) => [h.householdCode, h.items.map((i) => [i.lotCode, i.quantity])])).toEqual([
      [freshHousehold.code, [[fresh.code, 3]]],
    ]);
  });

  it("leaves no trace in the ledger when the order expires after a move and a late payment takes stock again", async () => {
    const placed = await unpaidOrder(2, [2, 5]);
    const old = await allocationOn(placed.lots[0]!.id);
    const moved = await move(placed, old.id, placed.lots[1]!.id);
    expect(await expireOrder(placed.order.id)).toBe(true);
    expect(await allocatedOf(placed.lots)).toEqual([0, 0]);

    // The payment arrives late: FIFO takes the first lot again, and only its household is credited.
    expect(await db.$transaction((tx) => confirmOrderPayment(tx, placed.order.id, null, new Date()))).toBe("credited");
    const live = await db.allocation.findMany({
      where: { orderLineId: placed.line.id, releasedAt: null },
      select: { id: true, lotId: true },
    });
    expect(live).toEqual([{ id: expect.not.stringMatching(moved.allocationId), lotId: placed.lots[0]!.id }]);
    const income = await householdIncome();
    expect([income.get(placed.lots[0]!.householdId), income.get(placed.lots[1]!.householdId)]).toEqual([kept(2), undefined]);
    expect((await auditLedger()).differences).toEqual([]);
  });

  it("is refused once the order is cancelled, and a cancelled move leaves nothing behind", async () => {
    const placed = await unpaidOrder(2, [2, 5]);
    const old = await allocationOn(placed.lots[0]!.id);
    await cancelUnpaidOrder(placed.order.id, placed.coop);
    await expect(move(placed, old.id, placed.lots[1]!.id)).rejects.toMatchObject({ code: "cooperative.reallocation.errors.order_state" });
    expect(await allocatedOf(placed.lots)).toEqual([0, 0]);
  });
});

describe("moving an allocation of a paid order", () => {
  it("reverses the old household's credit and fee for the moved units and credits the new household exactly that", async () => {
    // 7 units at ¥33.33, fee 8%, from lots of 2, 2 and 10: allocations of 2, 2 and 3 units.
    const placed = await paidOrder(7, [2, 2, 10]);
    const fresh = await createLot(placed.shop, 6, 20);
    const households = placed.lots.map((l) => l.householdId);
    const old = await allocationOn(placed.lots[2]!.id);
    const before = await ledgerCount();

    const moved = await move(placed, old.id, fresh.id);
    // 3 units: share 9999, fee round-half-up(799.92) = 800, household 9199.
    expect(moved.transferred).toEqual({ householdFen: 9199, feeFen: 800 });
    expect(await ledgerCount()).toBe(before + 4);
    const written = (await entriesOf(placed.order.id)).slice(-4);
    expect(written).toEqual([
      {
        entryKey: `credit:${moved.allocationId}`,
        kind: "sale_credit",
        amountFen: 9199,
        householdId: fresh.householdId,
        allocationId: moved.allocationId,
      },
      { entryKey: `fee:${moved.allocationId}`, kind: "fee", amountFen: 800, householdId: null, allocationId: moved.allocationId },
      {
        entryKey: `move-reversal:${moved.allocationId}`,
        kind: "sale_reversal",
        amountFen: -9199,
        householdId: households[2],
        allocationId: old.id,
      },
      {
        entryKey: `move-fee-reversal:${moved.allocationId}`,
        kind: "fee_reversal",
        amountFen: -800,
        householdId: null,
        allocationId: old.id,
      },
    ]);
    const income = await householdIncome();
    expect([...households, fresh.householdId].map((h) => income.get(h))).toEqual([6133, 6133, 0, 9199]);
    expect(await allocatedOf([...placed.lots, fresh])).toEqual([2, 2, 0, 3]);
    const fees = await db.ledgerEntry.aggregate({ where: { kind: { in: ["fee", "fee_reversal"] } }, _sum: { amountFen: true } });
    expect(fees._sum.amountFen).toBe(533 + 533 + 800);
    await expectBalanced(placed);
    // The old household's file says the boxes moved, not that they were refunded.
    const oldFile = await householdLedger(households[2]!, 1);
    expect(oldFile.entries.map((e) => [e.kind, e.amountFen])).toEqual([
      ["move_reversal", -9199],
      ["sale_credit", 9199],
    ]);

    // Moving the new allocation on again (the second lot spoiled too) chains the same way.
    const later = await createLot(placed.shop, 3, 25);
    const again = await move(placed, moved.allocationId, later.id, { idempotencyKey: "move-2" });
    expect(again.transferred).toEqual({ householdFen: 9199, feeFen: 800 });
    expect(await allocatedOf([...placed.lots, fresh, later])).toEqual([2, 2, 0, 0, 3]);
    expect((await householdIncome()).get(later.householdId)).toBe(9199);
    await expectBalanced(placed);

    // The audit follows the chain rather than trusting the ledger: a fen too many for the last household shows.
    await db.ledgerEntry.create({
      data: {
        entryKey: "tampered",
        kind: "sale_credit",
        householdId: later.householdId,
        cooperativeId: placed.shop.cooperative.id,
        amountFen: 1,
        orderId: placed.order.id,
        allocationId: again.allocationId,
      },
    });
    expect((await auditLedger()).differences).toEqual([
      { account: `line:${placed.line.id}`, kind: "line_total", expectedFen: 7 * PRICE_FEN, ledgerFen: 7 * PRICE_FEN + 1 },
      { account: `household:${later.householdId}`, kind: "household_income", expectedFen: 9199, ledgerFen: 9200 },
    ]);
  });

  it("moves only the units not refunded: the old allocation keeps its refund history, and later refunds reverse the new household", async () => {
    const placed = await paidOrder(3, [10]);
    const fresh = await createLot(placed.shop, 4, 20);
    const old = await allocationOn(placed.lots[0]!.id);
    const oldHousehold = placed.lots[0]!.householdId;

    // Refunding 1 of 3 reverses 3333 with fee 800 − round(533.28) = 267, so the household keeps 9199 − 3066 = 6133.
    await refund(placed, "r1", 1);
    expect((await householdIncome()).get(oldHousehold)).toBe(6133);
    expect(await allocatedOf([placed.lots[0]!, fresh])).toEqual([2, 0]);

    await expect(move(placed, old.id, fresh.id, { quantity: 3 })).rejects.toMatchObject({
      code: "cooperative.reallocation.errors.too_many_units",
    });
    const moved = await move(placed, old.id, fresh.id, { quantity: 2 });
    expect(moved).toMatchObject({ quantity: 2, transferred: { householdFen: 6133, feeFen: 533 } });
    expect(await db.allocation.findUniqueOrThrow({ where: { id: old.id }, select: { quantity: true, refundedQuantity: true } })).toEqual({
      quantity: 3,
      refundedQuantity: 1,
    });
    expect(
      await db.allocation.findUniqueOrThrow({ where: { id: moved.allocationId }, select: { quantity: true, refundedQuantity: true } }),
    ).toEqual({ quantity: 2, refundedQuantity: 0 });
    expect(await allocatedOf([placed.lots[0]!, fresh])).toEqual([0, 2]);
    let income = await householdIncome();
    expect([income.get(oldHousehold), income.get(fresh.householdId)]).toEqual([0, 6133]);
    await expectBalanced(placed);

    // A refund after the move takes from the new allocation: 1 of its 2 units reverses 3333 with fee 533 − 267 = 266.
    const second = await refund(placed, "r2", 1);
    expect(second.amountFen).toBe(PRICE_FEN);
    const reversal = await db.ledgerEntry.findMany({
      where: { refundId: second.refundId },
      orderBy: { entryKey: "asc" },
      select: { kind: true, amountFen: true, householdId: true, allocationId: true },
    });
    expect(reversal).toEqual([
      { kind: "fee_reversal", amountFen: -266, householdId: null, allocationId: moved.allocationId },
      { kind: "sale_reversal", amountFen: -3067, householdId: fresh.householdId, allocationId: moved.allocationId },
    ]);
    income = await householdIncome();
    expect([income.get(oldHousehold), income.get(fresh.householdId)]).toEqual([0, 3066]);
    expect(await allocatedOf([placed.lots[0]!, fresh])).toEqual([0, 1]);
    expect(stripe.refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(2 * PRICE_FEN);
    await expectBalanced(placed);

    // The last unit too: everything is reversed and the order is refunded.
    const last = await refund(placed, "r3", 1);
    expect(last.orderStatus).toBe("refunded");
    income = await householdIncome();
    expect([income.get(oldHousehold), income.get(fresh.householdId)]).toEqual([0, 0]);
    await expectBalanced(placed);
  });

  it("is a no-op when retried with the same key, and refuses the key for a different move", async () => {
    const placed = await paidOrder(2, [2, 5]);
    const old = await allocationOn(placed.lots[0]!.id);
    const first = await move(placed, old.id, placed.lots[1]!.id);
    const entries = await ledgerCount();
    const audits = await db.auditLog.count({ where: { action: "allocation.move" } });

    const retry = await move(placed, old.id, placed.lots[1]!.id);
    expect(retry).toEqual({ ...first, replayed: true });
    expect(await ledgerCount()).toBe(entries);
    expect(await db.auditLog.count({ where: { action: "allocation.move" } })).toBe(audits);
    expect(await allocatedOf(placed.lots)).toEqual([0, 2]);

    const third = await createLot(placed.shop, 5, 30);
    await expect(move(placed, old.id, third.id)).rejects.toMatchObject({ code: "cooperative.reallocation.errors.key_reused" });
    // A new key for an allocation that already moved is a conflict, not a second move.
    await expect(move(placed, old.id, third.id, { idempotencyKey: "move-other" })).rejects.toMatchObject({
      code: "cooperative.reallocation.errors.already_moved",
    });
    expect(await ledgerCount()).toBe(entries);
    await expectBalanced(placed);
  });

  it("makes one move of concurrent duplicates, whether they share the key or not", async () => {
    const placed = await paidOrder(2, [2, 10]);
    const old = await allocationOn(placed.lots[0]!.id);
    const entries = await ledgerCount();
    const same = await Promise.all(Array.from({ length: 4 }, () => move(placed, old.id, placed.lots[1]!.id)));
    expect(new Set(same.map((r) => r.allocationId))).toEqual(new Set([movedAllocationIdFor(old.id, "move-1")]));
    expect(same.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await ledgerCount()).toBe(entries + 4);
    expect(await allocatedOf(placed.lots)).toEqual([0, 2]);

    const next = await allocationOn(placed.lots[1]!.id);
    const spare = await createLot(placed.shop, 10, 30);
    const outcomes = await Promise.allSettled(
      ["a-key-1", "a-key-2", "a-key-3"].map((key) => move(placed, next.id, spare.id, { idempotencyKey: key })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === "rejected") expect(o.reason).toMatchObject({ code: "cooperative.reallocation.errors.already_moved" });
    expect(await ledgerCount()).toBe(entries + 8);
    expect(await allocatedOf([...placed.lots, spare])).toEqual([0, 0, 2]);
    await expectBalanced(placed);
  });
});

describe("refused moves write nothing", () => {
  it("refuses a packed order, another SKU, a short or expired lot, the same lot, part of an allocation and another village", async () => {
    const placed = await paidOrder(3, [3, 2]);
    const old = await allocationOn(placed.lots[0]!.id);
    const otherSku = await db.sku.create({
      data: {
        productId: placed.shop.product.id,
        code: `NOODLE-${randomUUID().slice(0, 6)}`,
        nameZh: "粉条",
        nameEn: "Noodles",
        priceFen: PRICE_FEN,
        weightGrams: 2500,
        maxPerOrder: 10,
      },
    });
    const otherSkuLot = await createLot({ village: placed.shop.village, sku: otherSku }, 10, 20);
    const expired = await createLot(placed.shop, 10, -1);
    const elsewhere = await createShop();
    const elsewhereLot = await createLot(elsewhere, 10, 20);
    const outsider = await createCoopUser(elsewhere.village.id);
    const tracked = [...placed.lots, otherSkuLot, expired, elsewhereLot];
    const stock = await allocatedOf(tracked);
    const entries = await ledgerCount();

    const refusals: [() => Promise<unknown>, object][] = [
      [() => move(placed, old.id, otherSkuLot.id), { code: "cooperative.reallocation.errors.wrong_sku" }],
      [
        () => move(placed, old.id, placed.lots[1]!.id),
        { code: "cooperative.reallocation.errors.lot_short", refusals: [{ field: "toLotId", params: { count: 2 } }] },
      ],
      [() => move(placed, old.id, expired.id), { code: "cooperative.reallocation.errors.expired_lot" }],
      [() => move(placed, old.id, placed.lots[0]!.id), { code: "cooperative.reallocation.errors.same_lot" }],
      [() => move(placed, old.id, "no-such-lot"), { code: "cooperative.reallocation.errors.not_found" }],
      [() => move(placed, "no-such-allocation", expired.id), { code: "cooperative.reallocation.errors.not_found" }],
      [() => move(placed, old.id, placed.lots[1]!.id, { quantity: 4 }), { code: "cooperative.reallocation.errors.too_many_units" }],
      [() => move(placed, old.id, placed.lots[1]!.id, { quantity: 1 }), { code: "cooperative.reallocation.errors.partial_move" }],
    ];
    for (const [attempt, reason] of refusals) await expect(attempt()).rejects.toMatchObject(reason);
    await expect(move(placed, old.id, elsewhereLot.id)).rejects.toMatchObject({ status: 403 });
    await expect(move({ coop: outsider }, old.id, elsewhereLot.id)).rejects.toMatchObject({ status: 403 });

    await advanceFulfilment(placed.order.id, "packed", placed.coop);
    const bigger = await createLot(placed.shop, 10, 20);
    await expect(move(placed, old.id, bigger.id)).rejects.toMatchObject({ code: "cooperative.reallocation.errors.order_state" });

    expect(await allocatedOf(tracked)).toEqual(stock);
    expect((await lotState(bigger.id)).quantityAllocated).toBe(0);
    expect(await ledgerCount()).toBe(entries);
    expect(await db.allocation.findUniqueOrThrow({ where: { id: old.id }, select: { releasedAt: true } })).toEqual({ releasedAt: null });
    expect(await db.allocation.count({ where: { orderLine: { orderId: placed.order.id } } })).toBe(1);
    await expectBalanced(placed);
  });

  it("refuses an allocation whose units were all refunded", async () => {
    const placed = await paidOrder(2, [1, 1]);
    const spare = await createLot(placed.shop, 5, 20);
    await refund(placed, "r1", 1);
    const refunded = await db.allocation.findFirstOrThrow({
      where: { orderLineId: placed.line.id, refundedQuantity: 1 },
      select: { id: true },
    });
    await expect(move(placed, refunded.id, spare.id)).rejects.toMatchObject({
      code: "cooperative.reallocation.errors.nothing_to_move",
      status: 409,
    });
  });
});

describe("the order page's move form", () => {
  it("lists the eligible lots, asks for confirmation, moves, and answers refusals with field messages", async () => {
    const placed = await paidOrder(2, [2, 1]);
    const fresh = await createLot(placed.shop, 5, 20);
    await createLot(placed.shop, 5, -1);
    const { cookie } = await signedIn(["coop"], placed.shop.village.id);
    const path = `/coop/orders/${placed.order.id}`;
    const params = { orderId: placed.order.id };
    const old = await allocationOn(placed.lots[0]!.id);

    const page = await outcome(() => orderLoader({ request: routeRequest(path, cookie), params, context: {} }));
    const { moves } = page.data as {
      moves: { allocationId: string; units: number; transfer: unknown; targets: { id: string; free: number; enough: boolean }[] }[];
    };
    expect(moves).toEqual([
      {
        allocationId: old.id,
        units: 2,
        transfer: { householdFen: kept(2), feeFen: feeFor(2 * PRICE_FEN, FEE_RATE_BP) },
        // Unexpired lots of the SKU with free units, other than its own; the 1-unit lot is listed but too small.
        targets: [
          expect.objectContaining({ id: placed.lots[1]!.id, free: 1, enough: false }),
          expect.objectContaining({ id: fresh.id, free: 5, enough: true }),
        ],
      },
    ]);

    const post = (form: Record<string, string>) =>
      answerOf(() =>
        orderAction({
          request: routeRequest(path, cookie, { intent: "move", idempotencyKey: "page-key-1", allocationId: old.id, ...form }),
          params,
          context: {},
        }),
      );
    expect(await post({ toLotId: fresh.id })).toMatchObject({
      status: 422,
      errors: { confirm: ["cooperative.errors.confirm"] },
      values: { allocationId: old.id },
    });
    expect(await post({ confirm: "yes" })).toMatchObject({
      status: 422,
      errors: { toLotId: ["cooperative.reallocation.errors.chooseLot"] },
    });
    expect(await post({ toLotId: placed.lots[1]!.id, confirm: "yes" })).toMatchObject({
      status: 422,
      errors: { toLotId: ["cooperative.reallocation.errors.lot_short?count=1"] },
    });
    expect(await post({ toLotId: "no-such-lot", confirm: "yes" })).toMatchObject({ status: 404 });
    const entries = await ledgerCount();

    expect(await post({ toLotId: fresh.id, confirm: "yes" })).toMatchObject({
      status: 200,
      done: "cooperative.reallocation.done?count=2",
    });
    expect(await post({ toLotId: fresh.id, confirm: "yes" })).toMatchObject({ status: 200, done: "cooperative.reallocation.done?count=2" });
    expect(await ledgerCount()).toBe(entries + 4);
    expect(await post({ idempotencyKey: "page-key-2", toLotId: placed.lots[1]!.id, confirm: "yes" })).toMatchObject({
      status: 409,
      errors: { "": ["cooperative.reallocation.errors.already_moved"] },
    });

    const after = await outcome(() => orderLoader({ request: routeRequest(path, cookie), params, context: {} }));
    const detail = after.data as { order: { lines: { allocations: { lot: { code: string } }[] }[] } };
    expect(detail.order.lines[0]!.allocations.map((a) => a.lot.code)).toEqual([fresh.code]);

    const outsider = await signedIn(["coop"], (await createShop()).village.id);
    const refused = await outcome(() =>
      orderAction({
        request: routeRequest(path, outsider.cookie, {
          intent: "move",
          idempotencyKey: "page-key-3",
          allocationId: old.id,
          toLotId: fresh.id,
          confirm: "yes",
        }),
        params,
        context: {},
      }),
    );
    expect(refused.status).toBe(403);

    await advanceFulfilment(placed.order.id, "packed", placed.coop);
    const packed = await outcome(() => orderLoader({ request: routeRequest(path, cookie), params, context: {} }));
    expect((packed.data as { moves: unknown[] }).moves).toEqual([]);
    await expectBalanced(placed);
  });
});
