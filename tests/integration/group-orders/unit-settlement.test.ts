// A group order open to two units is settled once per unit, each by that unit's organizer, for its own members'
// unit-settled orders (DOMAIN §6). Card and unit-settled orders in both units; the ledger the settlements write is
// what crediting each order on its own writes, and the audit finds nothing to report.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { getGroupOrderForOrganizer } from "~/domain/group-orders/access.server";
import { startCancellation, startSettlement } from "~/domain/group-orders/bulk.server";
import { closeGroupOrderEarly, extendGroupOrder, markGroupOrderDelivered } from "~/domain/group-orders/commands.server";
import { pickupList } from "~/domain/group-orders/exports.server";
import { groupOrderDashboard, listGroupOrdersForOrganizer } from "~/domain/group-orders/queries.server";
import { pendingUnitSettlements } from "~/domain/group-orders/settlement.server";
import { isDomainError } from "~/domain/errors";
import { auditLedger } from "~/domain/ledger/audit.server";
import { creditHouseholdsForPaidOrder } from "~/domain/ledger/ledger.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop } from "../fixtures";
import { createUserWithRoles, joinGroupOrder, openGroupOrder, problemsOf, settleNow } from "./helpers";

type Shop = Awaited<ReturnType<typeof createShop>>;
let shop: Shop;
const PRICE = 8800;
const DAY = 24 * 60 * 60 * 1000;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop({ feeRateBp: 750, priceFen: PRICE });
});

/** Units A and B, an admin's group order for both, and in each unit two unit-settled orders and one card order. */
async function sharedGroupOrder() {
  await createLot(shop, 5, 4);
  await createLot(shop, 7, 6);
  await createLot(shop, 20, 9);
  const unitA = shop.unit;
  const unitB = await db.unit.create({ data: { code: "U-B", name: "二队", nameEn: "Team 2" } });
  const admin = await createUserWithRoles(null, ["admin"]);
  const organizerA = await createUserWithRoles(unitA.id, ["employee", "organizer"], "甲负责人");
  const organizerB = await createUserWithRoles(unitB.id, ["employee", "organizer"], "乙负责人");
  const { id } = await openGroupOrder(shop, admin, { unitIds: [unitA.id, unitB.id] });
  const join = async (unitId: string, quantity: number, method: "card" | "unit_settlement" = "unit_settlement") =>
    joinGroupOrder(shop, id, (await createEmployee(unitId)).id, quantity, method);
  const a = [await join(unitA.id, 1), await join(unitA.id, 3)];
  const aCard = await join(unitA.id, 2, "card");
  const b = [await join(unitB.id, 2), await join(unitB.id, 4)];
  const bCard = await join(unitB.id, 1, "card");
  return { id, unitA, unitB, admin, organizerA, organizerB, a, aCard, b, bCard };
}

const input = (amountFen: number, reference = "ICBC-0705-A") => ({ amountFen, reference, paidOn: new Date("2026-07-05") });
const owed = (orders: { totalFen: number }[]) => orders.reduce((sum, order) => sum + order.totalFen, 0);

class RolledBack extends Error {
  constructor(readonly entries: string[]) {
    super("rolled back");
  }
}

const describeEntries = (
  rows: { entryKey: string; kind: string; householdId: string | null; amountFen: number; orderId: string | null }[],
) => rows.map((r) => `${r.entryKey} ${r.kind} ${r.householdId ?? "coop"} ${r.amountFen} ${r.orderId}`).sort();

/** What crediting each order on its own (the per-order path) writes for them, in a transaction then undone. */
async function perOrderEntries(orderIds: string[]) {
  try {
    await db.$transaction(async (tx) => {
      for (const orderId of orderIds) await creditHouseholdsForPaidOrder(tx, orderId, null, new Date());
      throw new RolledBack(describeEntries(await tx.ledgerEntry.findMany({ where: { orderId: { in: orderIds } } })));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.entries;
    throw error;
  }
  throw new Error("unreachable");
}

async function statusOf(orders: { id: string }[]) {
  const rows = await db.order.findMany({ where: { id: { in: orders.map((o) => o.id) } }, select: { status: true } });
  return [...new Set(rows.map((row) => row.status))];
}

describe("per-unit settlement of a group order shared by two units", () => {
  it("A settles A's to the fen, B's stay untouched; B settles; the group order is settled; ledger as per order; audit clean", async () => {
    const g = await sharedGroupOrder();
    await closeGroupOrderEarly(g.admin, g.id);
    const pending = await pendingUnitSettlements(g.id, null);
    expect(pending.map((row) => [row.unitId, row.orders, row.totalFen]).sort()).toEqual(
      [
        [g.unitA.id, 2, 4 * PRICE],
        [g.unitB.id, 2, 6 * PRICE],
      ].sort(),
    );
    const expectedA = await perOrderEntries(g.a.map((o) => o.id));
    const expectedB = await perOrderEntries(g.b.map((o) => o.id));

    // Off by one fen: a field error on the amount, and nothing written.
    const offByOne = await startSettlement(g.organizerA, g.id, g.unitA.id, input(owed(g.a) - 1)).catch((error: unknown) => error);
    expect(isDomainError(offByOne) && offByOne.status).toBe(422);
    expect(isDomainError(offByOne) && offByOne.refusals).toEqual([{ code: "groupOrders.errors.amountMismatch", field: "amount" }]);
    // B's organizer may not pay for A's members, nor A's for B's.
    await expect(startSettlement(g.organizerB, g.id, g.unitA.id, input(owed(g.a)))).rejects.toMatchObject({ status: 403 });
    await expect(startSettlement(g.organizerA, g.id, g.unitB.id, input(owed(g.b)))).rejects.toMatchObject({ status: 403 });
    expect(await db.unitSettlement.count()).toBe(0);
    expect(await db.payment.count({ where: { method: "unit_settlement" } })).toBe(0);

    const settledA = await settleNow(g.organizerA, g.id, input(owed(g.a)));
    expect(settledA.task).toMatchObject({ status: "done", done: 2, total: 2, outcome: { credited: 2, already_paid: 0, needs_refund: 0 } });
    expect(await statusOf(g.a)).toEqual(["paid"]);
    expect(await statusOf(g.b)).toEqual(["pending_payment"]);
    expect(await statusOf([g.aCard, g.bCard])).toEqual(["pending_payment"]);
    expect(await db.ledgerEntry.count({ where: { orderId: { in: g.b.map((o) => o.id) } } })).toBe(0);
    expect(await pendingUnitSettlements(g.id, null)).toMatchObject([{ unitId: g.unitB.id, orders: 2, totalFen: 6 * PRICE }]);
    expect((await getGroupOrderForOrganizer(g.admin, g.id)).state).toBe("closed");

    // A second settlement of A's orders, even two at once: one answer each, "already settled", nothing written.
    const again = await Promise.allSettled([
      startSettlement(g.organizerA, g.id, g.unitA.id, input(owed(g.a))),
      startSettlement(g.organizerA, g.id, g.unitA.id, input(owed(g.a))),
    ]);
    for (const outcome of again) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: "groupOrders.errors.alreadySettled", status: 409 });
    }

    // Delivered before B has paid: not settled yet.
    await markGroupOrderDelivered(g.admin, g.id);
    expect((await getGroupOrderForOrganizer(g.admin, g.id)).state).toBe("delivered");

    const settledB = await settleNow(g.organizerB, g.id, input(owed(g.b), "CCB-0706-B"));
    expect(settledB.task).toMatchObject({ status: "done", outcome: { credited: 2 } });
    expect(await statusOf(g.b)).toEqual(["paid"]);
    expect((await getGroupOrderForOrganizer(g.admin, g.id)).state).toBe("settled");

    const settlements = await db.unitSettlement.findMany({ orderBy: { reference: "desc" }, include: { payments: true } });
    expect(settlements.map((s) => [s.unitId, s.amountFen, s.payments.length])).toEqual([
      [g.unitA.id, owed(g.a), 2],
      [g.unitB.id, owed(g.b), 2],
    ]);
    for (const s of settlements) expect(s.payments.reduce((sum, p) => sum + p.amountFen, 0)).toBe(s.amountFen);

    const written = (orders: { id: string }[]) => db.ledgerEntry.findMany({ where: { orderId: { in: orders.map((o) => o.id) } } });
    expect(describeEntries(await written(g.a))).toEqual(expectedA);
    expect(describeEntries(await written(g.b))).toEqual(expectedB);
    expect(expectedA.length).toBeGreaterThan(0);
    expect(await db.ledgerEntry.count({ where: { orderId: { in: [g.aCard.id, g.bCard.id] } } })).toBe(0);
    expect((await auditLedger()).differences).toEqual([]);
  });

  it("lets only the opener close, extend, cancel or deliver; B's organizer sees B's members only", async () => {
    const g = await sharedGroupOrder();
    for (const organizer of [g.organizerA, g.organizerB]) {
      await expect(closeGroupOrderEarly(organizer, g.id)).rejects.toMatchObject({ status: 403 });
      await expect(extendGroupOrder(organizer, g.id, new Date(Date.now() + 2 * DAY))).rejects.toMatchObject({ status: 403 });
      await expect(startCancellation(organizer, g.id)).rejects.toMatchObject({ status: 403 });
    }
    await closeGroupOrderEarly(g.admin, g.id);
    await expect(markGroupOrderDelivered(g.organizerB, g.id)).rejects.toMatchObject({ status: 403 });
    expect(await db.auditLog.count({ where: { entityId: g.id, actorId: { in: [g.organizerA.id, g.organizerB.id] } } })).toBe(0);

    const asB = await getGroupOrderForOrganizer(g.organizerB, g.id);
    expect(asB).toMatchObject({ runsIt: false, unitScope: g.unitB.id });
    const dashboard = await groupOrderDashboard(g.id, { q: "", page: 1 }, asB.unitScope);
    const bNumbers = [...g.b, g.bCard].map((o) => o.number).sort();
    expect(dashboard.orders.map((o) => o.number).sort()).toEqual(bNumbers);
    expect(dashboard.participants).toBe(3);
    expect(dashboard.skuTotals.map((row) => row.quantity)).toEqual([7]);
    expect((await pickupList(g.id, "zh", asB.unitScope)).map((row) => row.number).sort()).toEqual(bNumbers);
    expect(await pendingUnitSettlements(g.id, asB.unitScope)).toMatchObject([{ unitId: g.unitB.id, orders: 2 }]);
    const listed = await listGroupOrdersForOrganizer(g.organizerB);
    expect(listed.map((group) => group._count.orders)).toEqual([3]);

    // The opener (here the admin) sees every unit.
    const asAdmin = await getGroupOrderForOrganizer(g.admin, g.id);
    expect(asAdmin).toMatchObject({ runsIt: true, unitScope: null });
    expect((await groupOrderDashboard(g.id, { q: "", page: 1 }, null)).count).toBe(6);

    // An admin records a unit's settlement by naming it, and not for a unit the group order does not invite.
    const stranger = await db.unit.create({ data: { code: "U-C", name: "三队", nameEn: "Team 3" } });
    expect(await problemsOf(startSettlement(g.admin, g.id, stranger.id, input(1)))).toEqual(["unitNotInvited"]);
    await settleNow(g.admin, g.id, input(owed(g.b)), g.unitB.id);
    expect(await statusOf(g.b)).toEqual(["paid"]);
    expect(await statusOf(g.a)).toEqual(["pending_payment"]);
  });
});
