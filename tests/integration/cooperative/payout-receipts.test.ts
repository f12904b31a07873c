import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { recordPayout } from "~/domain/cooperative/payouts.server";
import { loader as receiptLoader } from "~/routes/coop.receipts.$payoutId";
import { createShop } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";
import { paidOrder } from "./fixtures";

type Receipt = {
  household: { code: string; displayName: string | null };
  amountFen: number;
  amountWords: string;
  method: string;
  period: { from: string; to: string };
  balanceAfterFen: number;
  printNumber: number;
};

function payout(placed: Awaited<ReturnType<typeof paidOrder>>, householdId: string, amountFen: number, paidOn: string) {
  return recordPayout({
    householdId,
    amountFen,
    method: "bank_transfer",
    reference: `YH-${paidOn}`,
    paidOn: new Date(`${paidOn}T00:00:00Z`),
    idempotencyKey: `receipt-${paidOn}`,
    actor: placed.coop,
  });
}

const open = (payoutId: string, cookie: string) =>
  outcome(() => receiptLoader({ request: routeRequest(`/coop/receipts/${payoutId}`, cookie), params: { payoutId }, context: {} }));

describe("payout receipts", () => {
  it("write the amount in figures and capitals, the period since the last payout, and number every (re)print in the audit log", async () => {
    const placed = await paidOrder(3, [10], "unit_settlement");
    const householdId = placed.lots[0]!.householdId;
    const credited = await db.ledgerEntry.aggregate({ where: { householdId }, _sum: { amountFen: true } });
    const first = await payout(placed, householdId, 1001, "2026-06-30");
    const second = await payout(placed, householdId, 2000, "2026-07-31");
    const coop = await signedIn(["coop"], placed.shop.village.id);

    const shown = await open(second.payoutId, coop.cookie);
    expect(shown.status).toBe(200);
    const receipt = shown.data as Receipt;
    expect(receipt).toMatchObject({
      amountFen: 2000,
      amountWords: "贰拾元整",
      method: "bank_transfer",
      period: { from: "2026-07-01", to: "2026-07-31" },
      balanceAfterFen: credited._sum.amountFen! - 1001 - 2000,
      printNumber: 1,
    });
    // The first payout's period starts at the household's first credit, or on the payout's own day when that came later.
    const earlier = (await open(first.payoutId, coop.cookie)).data as Receipt;
    expect(earlier).toMatchObject({ amountWords: "壹拾元零壹分", balanceAfterFen: credited._sum.amountFen! - 1001 });
    expect(earlier.period.to).toBe("2026-06-30");
    expect(earlier.period.from <= earlier.period.to).toBe(true);

    expect(((await open(second.payoutId, coop.cookie)).data as Receipt).printNumber).toBe(2);
    const prints = await db.auditLog.findMany({
      where: { entityType: "Household", entityId: householdId, action: "payout.receipt.print" },
      orderBy: { id: "asc" },
      select: { actorId: true, changes: true },
    });
    expect(prints.map((p) => p.changes)).toEqual([
      { payoutId: second.payoutId, printNumber: 1 },
      { payoutId: first.payoutId, printNumber: 1 },
      { payoutId: second.payoutId, printNumber: 2 },
    ]);
    expect(prints.every((p) => p.actorId === coop.user.id)).toBe(true);
  });

  it("are for the village's cooperative (and admins) only", async () => {
    const placed = await paidOrder(1, [5], "unit_settlement");
    const { payoutId } = await payout(placed, placed.lots[0]!.householdId, 100, "2026-07-01");
    const other = await createShop();
    expect((await open(payoutId, (await signedIn(["coop"], other.village.id)).cookie)).status).toBe(403);
    expect((await open(payoutId, (await signedIn(["employee"], placed.shop.village.id)).cookie)).status).toBe(403);
    expect((await open(payoutId, (await signedIn(["admin"], null)).cookie)).status).toBe(200);
    expect((await open("missing", (await signedIn(["coop"], placed.shop.village.id)).cookie)).status).toBe(404);
    expect((await open(payoutId, "")).status).toBe(302);
  });
});
