import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { placeOrder } from "~/domain/shop/checkout.server";
import { auditLedger, lastLedgerAudit, runAndRecordLedgerAudit } from "~/domain/ledger/audit.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop, deliveryOrderInput, placePaidOrder } from "../fixtures";

let shop: Awaited<ReturnType<typeof createShop>>;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop({ feeRateBp: 750, priceFen: 6_999 });
});

async function order(quantity: number, pay: boolean) {
  const buyer = await createEmployee(shop.unit.id);
  const input = deliveryOrderInput(shop, buyer.id, quantity);
  if (pay) return placePaidOrder(input);
  const result = await placeOrder(input);
  return result.order;
}

describe("ledger audit", () => {
  it("finds no difference after orders across lots are paid, and ignores unpaid ones", async () => {
    await createLot(shop, 3, 2);
    await createLot(shop, 4, 4);
    await createLot(shop, 20, 6);
    await order(5, true);
    await order(4, true);
    await order(2, false);
    const result = await auditLedger();
    expect(result.differences).toEqual([]);
    expect(result.householdsSeen).toBe(3);
  });

  it("reports a credit written twice or a missing fee, and keeps the result for the team", async () => {
    const lot = await createLot(shop, 10);
    const paid = await order(3, true);
    const allocation = await db.allocation.findFirstOrThrow();
    await db.ledgerEntry.create({
      data: {
        entryKey: "forged",
        kind: "sale_credit",
        householdId: lot.householdId,
        cooperativeId: shop.cooperative.id,
        amountFen: 100,
        orderId: paid.id,
        allocationId: allocation.id,
      },
    });
    const result = await runAndRecordLedgerAudit();
    expect(result.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ account: `household:${lot.householdId}`, kind: "household_income", ledgerFen: expect.any(Number) }),
        expect.objectContaining({ kind: "line_total" }),
      ]),
    );
    const difference = result.differences.find((d) => d.kind === "household_income")!;
    expect(difference.ledgerFen - difference.expectedFen).toBe(100);
    expect(await lastLedgerAudit()).toMatchObject({ differenceCount: result.differences.length, householdsSeen: 1 });
  });

  it("reads the paid lines in chunks and still finds a wrong entry in a later chunk, with the payouts summed", async () => {
    const lot = await createLot(shop, 40);
    for (let i = 0; i < 7; i++) await order(1 + (i % 3), true);
    await order(2, false);
    const clerk = await createEmployee(shop.unit.id);
    for (const amountFen of [500, 250]) {
      const payout = await db.payout.create({
        data: {
          householdId: lot.householdId,
          amountFen,
          method: "cash",
          reference: "R",
          paidOn: new Date(),
          idempotencyKey: `payout-${amountFen}`,
          createdById: clerk.id,
        },
      });
      await db.ledgerEntry.create({
        data: {
          entryKey: `payout:${payout.id}`,
          kind: "payout",
          householdId: lot.householdId,
          cooperativeId: shop.cooperative.id,
          amountFen: -amountFen,
          payoutId: payout.id,
        },
      });
    }
    const whole = await auditLedger();
    expect(whole).toEqual({ householdsSeen: 1, differences: [] });
    expect(await auditLedger({ chunk: 2 })).toEqual(whole);

    const lines = await db.orderLine.findMany({
      where: { order: { status: "paid" } },
      orderBy: { id: "asc" },
      select: { id: true, orderId: true },
    });
    expect(lines).toHaveLength(7);
    const last = lines[lines.length - 1]!;
    const allocation = await db.allocation.findFirstOrThrow({ where: { orderLineId: last.id } });
    await db.ledgerEntry.create({
      data: {
        entryKey: "forged-late",
        kind: "fee",
        cooperativeId: shop.cooperative.id,
        amountFen: -7,
        orderId: last.orderId,
        allocationId: allocation.id,
      },
    });
    const chunked = await auditLedger({ chunk: 2 });
    expect(chunked.differences).toEqual(
      expect.arrayContaining([
        { account: `line:${last.id}`, kind: "line_total", expectedFen: expect.any(Number), ledgerFen: expect.any(Number) },
        expect.objectContaining({ account: `cooperative:${shop.cooperative.id}`, kind: "cooperative_fee" }),
      ]),
    );
    expect(chunked.differences).toHaveLength(2);
    expect(chunked).toEqual(await auditLedger());
  });
});
