import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { ledgerEntryCause } from "~/domain/households/ledger-causes.server";
import { recordPayout } from "~/domain/cooperative/payouts.server";
import { moveAllocation } from "~/domain/cooperative/reallocation.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { loader as causeLoader } from "~/routes/team.households.$householdId_.ledger.$entryId";
import { createLot } from "../fixtures";
import { paidOrder, useFakeStripe } from "../cooperative/fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";

useFakeStripe();

async function entryOf(householdId: string, kind: "sale_credit" | "sale_reversal" | "payout", entryKeyPrefix = "") {
  const entry = await db.ledgerEntry.findFirstOrThrow({
    where: { householdId, kind, entryKey: { startsWith: entryKeyPrefix } },
    select: { id: true },
  });
  return String(entry.id);
}

describe("the cause of a ledger entry", () => {
  it("shows a credit's order: lines, which lots and producers filled them, and every entry it wrote for this household", async () => {
    // 7 units at ¥33.33 from lots of 2, 2 and 10: this household's lot gave 3.
    const placed = await paidOrder(7, [2, 2, 10]);
    const household = placed.lots[2]!.householdId;
    await db.household.update({ where: { id: placed.lots[0]!.householdId }, data: { consentToDisplay: true, displayName: "李大姐家" } });
    const team = await signedIn(["team"], placed.shop.village.id);

    const cause = await ledgerEntryCause(
      { id: team.user.id, roles: ["team"], villageId: placed.shop.village.id },
      household,
      await entryOf(household, "sale_credit"),
    );
    expect(cause?.entry).toMatchObject({ kind: "sale_credit", amountFen: 9199 });
    expect(cause?.payout).toBeNull();
    expect(cause?.order).toMatchObject({ number: placed.order.number, status: "paid", totalFen: placed.order.totalFen });
    const allocations = cause!.order!.lines[0]!.allocations;
    expect(allocations.map((a) => [a.quantity, a.thisHousehold])).toEqual([
      [2, false],
      [2, false],
      [3, true],
    ]);
    // Other households only as producers: a code, and a display name only where they agreed to one.
    expect(allocations[0]!.producer).toEqual({ code: expect.any(String), displayName: "李大姐家" });
    expect(allocations[1]!.producer.displayName).toBeNull();
    expect(cause!.order!.entries.map((e) => [e.kind, e.amountFen])).toEqual([["sale_credit", 9199]]);
  });

  it("follows a refund and a move to the same order, and a payout to its record", async () => {
    const placed = await paidOrder(3, [10]);
    const household = placed.lots[0]!.householdId;
    await refundOrder({
      orderId: placed.order.id,
      actorId: placed.coop.id,
      villageId: placed.coop.villageId,
      idempotencyKey: "r1",
      reason: "坏果",
      lines: [{ orderLineId: placed.line.id, quantity: 1 }],
    });
    const fresh = await createLot(placed.shop, 5, 20);
    const allocation = await db.allocation.findFirstOrThrow({ where: { lotId: placed.lots[0]!.id }, select: { id: true } });
    await moveAllocation({ actor: placed.coop, allocationId: allocation.id, toLotId: fresh.id, idempotencyKey: "m1" });
    const viewer = { id: placed.coop.id, roles: ["team"], villageId: placed.shop.village.id };

    const refunded = await ledgerEntryCause(viewer, household, await entryOf(household, "sale_reversal", "reversal:"));
    expect(refunded?.order?.refunds).toEqual([expect.objectContaining({ reason: "坏果", amountFen: 3333 })]);
    const moved = await ledgerEntryCause(viewer, household, await entryOf(household, "sale_reversal", "move-reversal:"));
    expect(moved?.entry.kind).toBe("move_reversal");
    expect(moved?.order?.lines[0]!.allocations.map((a) => [a.thisHousehold, Boolean(a.replacedById)])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(moved?.order?.entries.map((e) => e.kind)).toEqual(["sale_credit", "sale_reversal", "move_reversal"]);

    await recordPayout({
      householdId: fresh.householdId,
      amountFen: 1000,
      method: "cash",
      reference: "XJ-001",
      paidOn: new Date("2026-07-20"),
      idempotencyKey: randomUUID(),
      actor: placed.coop,
    });
    const payout = await ledgerEntryCause(viewer, fresh.householdId, await entryOf(fresh.householdId, "payout"));
    expect(payout?.payout).toMatchObject({ amountFen: 1000, method: "cash", reference: "XJ-001", recordedBy: "合作社" });
    expect(payout?.order).toBeNull();
  });

  it("is for the team and admins of the household's village only, and only for that household's entries", async () => {
    const placed = await paidOrder(3, [2, 10]);
    const [mine, other] = placed.lots.map((l) => l.householdId) as [string, string];
    const entryId = await entryOf(mine, "sale_credit");
    const open = async (cookie: string, householdId = mine, id = entryId) =>
      (
        await outcome(() =>
          causeLoader({
            request: routeRequest(`/team/households/${householdId}/ledger/${id}`, cookie),
            params: { householdId, entryId: id },
            context: {},
          }),
        )
      ).status;

    expect(await open("")).toBe(302);
    expect(await open((await signedIn(["employee"], placed.shop.village.id)).cookie)).toBe(403);
    expect(await open((await signedIn(["coop"], placed.shop.village.id)).cookie)).toBe(403);
    const team = (await signedIn(["team"], placed.shop.village.id)).cookie;
    expect(await open(team)).toBe(200);
    expect(await open((await signedIn(["admin"], null)).cookie)).toBe(200);
    const elsewhere = await db.village.create({ data: { name: "别村", nameEn: "Elsewhere", county: "某县" } });
    expect(await open((await signedIn(["team"], elsewhere.id)).cookie)).toBe(404);
    expect(await open(team, other)).toBe(404);
    expect(await open(team, mine, "not-a-number")).toBe(404);
    expect(await open(team, mine, "999999999")).toBe(404);
  });
});
