// What the cooperative tests share: paid orders with a recorded payment, coop users, and the ledger invariants
// checked after every operation.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { db } from "~/db/client.server";
import { placeOrder } from "~/domain/shop/checkout.server";
import { auditLedger } from "~/domain/ledger/audit.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { feeFor } from "~/domain/ledger/split";
import type { FormAnswer } from "~/utils/forms";
export { useFakeStripe } from "../payments/fixtures";
import { createEmployee, createGroupOrder, createLot, createShop, deliveryOrderInput } from "../fixtures";
import { outcome } from "../route-helpers";

export const PRICE_FEN = 3333;
export const FEE_RATE_BP = 800;
export const DELIVERY_FEE_FEN = 1200;

export type Shop = Awaited<ReturnType<typeof createShop>>;

export async function createCoopUser(villageId: string | null) {
  return db.user.create({
    data: { name: "合作社", email: `${randomUUID()}@coop.example`, passwordHash: "x", villageId, roles: { create: [{ role: "coop" }] } },
    select: { id: true, villageId: true },
  });
}

/**
 * A shop with lots of the given sizes (each from its own household, expiring a day after the one before, so FIFO
 * takes them in the order given), and a paid order of `quantity` units: a home-delivery card order with a succeeded
 * Stripe payment, or a group order paid by unit settlement.
 */
export async function paidOrder(quantity: number, lotSizes: number[], method: "card" | "unit_settlement" = "card") {
  const shop = await createShop({ priceFen: PRICE_FEN, feeRateBp: FEE_RATE_BP, deliveryFeeFen: DELIVERY_FEE_FEN });
  const lots = [];
  for (const [index, size] of lotSizes.entries()) lots.push(await createLot(shop, size, 5 + index));
  const buyer = await createEmployee(shop.unit.id);
  const input =
    method === "card"
      ? deliveryOrderInput(shop, buyer.id, quantity)
      : deliveryOrderInput(shop, buyer.id, quantity, {
          paymentMethod: "unit_settlement",
          fulfilment: { kind: "group_pickup", groupOrderId: (await createGroupOrder(shop, buyer.id)).id },
        });
  const placed = await placeOrder(input);
  const order = placed.order;
  const paymentIntent = `pi_test_${randomUUID().slice(0, 8)}`;
  const payment = await db.payment.create({
    data: {
      orderId: order.id,
      method,
      status: "succeeded",
      amountFen: order.totalFen,
      stripePaymentIntentId: method === "card" ? paymentIntent : null,
      succeededAt: new Date(),
    },
  });
  await db.$transaction((tx) => confirmOrderPayment(tx, order.id, payment.id, new Date()));
  const line = await db.orderLine.findFirstOrThrow({ where: { orderId: order.id }, select: { id: true } });
  const coop = await createCoopUser(shop.village.id);
  return { shop, lots, buyer, order, line, payment, paymentIntent, coop };
}

/** Ledger sums per household for sale credits and reversals. */
export async function householdIncome() {
  const rows = await db.$queryRaw<{ householdId: string; income: number }[]>`
    SELECT "householdId", SUM("amountFen")::int AS "income" FROM "LedgerEntry"
    WHERE "kind" IN ('sale_credit', 'sale_reversal') GROUP BY "householdId"`;
  return new Map(rows.map((r) => [r.householdId, r.income]));
}

/**
 * DOMAIN §5.2/§5.3 after any refund: each household's credits + reversals equal what selling only its remaining
 * units would have credited (computed here independently: price × units, less the fee on that), each line's ledger
 * sum is the line total of its remaining units, and the ledger audit finds no difference.
 */
export async function expectLedgerInvariants(orderId: string) {
  const lines = await db.orderLine.findMany({
    where: { orderId },
    select: {
      id: true,
      quantity: true,
      refundedQuantity: true,
      unitPriceFen: true,
      feeRateBp: true,
      allocations: {
        where: { releasedAt: null },
        select: { id: true, quantity: true, refundedQuantity: true, lot: { select: { householdId: true } } },
      },
    },
  });
  const income = await householdIncome();
  for (const line of lines) {
    const expectedByHousehold = new Map<string, number>();
    for (const a of line.allocations) {
      const kept = (a.quantity - a.refundedQuantity) * line.unitPriceFen;
      const household = a.lot.householdId;
      expectedByHousehold.set(household, (expectedByHousehold.get(household) ?? 0) + kept - feeFor(kept, line.feeRateBp));
    }
    for (const [household, expected] of expectedByHousehold) expect(income.get(household) ?? 0, `household ${household}`).toBe(expected);
    const [sum] = await db.$queryRaw<{ total: number }[]>`
      SELECT COALESCE(SUM(e."amountFen"), 0)::int AS "total" FROM "LedgerEntry" e JOIN "Allocation" a ON a."id" = e."allocationId"
      WHERE a."orderLineId" = ${line.id} AND e."kind" IN ('sale_credit', 'sale_reversal', 'fee', 'fee_reversal')`;
    expect(sum!.total).toBe((line.quantity - line.refundedQuantity) * line.unitPriceFen);
    expect(line.allocations.reduce((s, a) => s + a.refundedQuantity, 0)).toBe(line.refundedQuantity);
  }
  expect((await auditLedger()).differences).toEqual([]);
}

export async function ledgerCount() {
  return db.ledgerEntry.count();
}

/**
 * An action's answer as a test reads it: the status, each field's messages ("" for the form's own) as message refs
 * (key?value=…), the values the form sent back with them, and the message saying what was done.
 */
export async function answerOf(run: () => Promise<unknown>) {
  const { status, data } = await outcome(run);
  const answer = data as Partial<FormAnswer> | undefined;
  return { status, errors: answer?.result?.error ?? {}, values: answer?.result?.initialValue ?? null, done: answer?.done };
}
