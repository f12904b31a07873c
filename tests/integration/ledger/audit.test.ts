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
});
