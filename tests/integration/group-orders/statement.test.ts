// The settlement statement (对账单) of one unit's settlement: what it lists, that its totals agree with the settlement
// and the ledger, the Excel file read back, and who may open each of its pages (every role).
import type { LoaderFunctionArgs } from "@remix-run/node";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { createUserSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { closeGroupOrderEarly } from "~/domain/group-orders/commands.server";
import { loadStatement, statementTables } from "~/domain/group-orders/statement.server";
import { workbookXlsx } from "~/utils/tables.server";
import { loader as organizerStatement } from "~/routes/organizer.group-orders.$id.statement.$unitId._index";
import { loader as organizerStatementXlsx } from "~/routes/organizer.group-orders.$id.statement.$unitId.xlsx";
import { loader as coopSettlements } from "~/routes/coop.settlements._index";
import { loader as coopStatement } from "~/routes/coop.settlements.$settlementId._index";
import { loader as coopStatementXlsx } from "~/routes/coop.settlements.$settlementId.xlsx";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop } from "../fixtures";
import { outcome, routeRequest } from "../route-helpers";
import { createUserWithRoles, joinGroupOrder, openGroupOrder, settleNow } from "./helpers";

type Shop = Awaited<ReturnType<typeof createShop>>;
let shop: Shop;
let world: Awaited<ReturnType<typeof settledForTwoUnits>>;

/** Units A and B share a group order; A's members place 45 unit-settled orders (two sheets), B's 2; both settle. */
async function settledForTwoUnits() {
  await createLot(shop, 40, 4);
  await createLot(shop, 200, 8);
  const unitA = shop.unit;
  const unitB = await db.unit.create({ data: { code: "U-B", name: "二队", nameEn: "Team 2" } });
  const admin = await createUserWithRoles(null, ["admin"]);
  const organizerA = await createUserWithRoles(unitA.id, ["employee", "organizer"]);
  const organizerB = await createUserWithRoles(unitB.id, ["employee", "organizer"]);
  const { id } = await openGroupOrder(shop, admin, { unitIds: [unitA.id, unitB.id] });
  const a = [];
  for (let i = 0; i < 45; i++) a.push(await joinGroupOrder(shop, id, (await createEmployee(unitA.id)).id, 1 + (i % 3)));
  const b = [await joinGroupOrder(shop, id, (await createEmployee(unitB.id)).id, 2)];
  await joinGroupOrder(shop, id, (await createEmployee(unitA.id)).id, 1, "card");
  await closeGroupOrderEarly(admin, id);
  const owed = (orders: { totalFen: number }[]) => orders.reduce((sum, order) => sum + order.totalFen, 0);
  const settledA = await settleNow(organizerA, id, { amountFen: owed(a), reference: "ICBC-A-001", paidOn: new Date("2026-07-05") });
  const settledB = await settleNow(organizerB, id, { amountFen: owed(b), reference: "CCB-B-002", paidOn: new Date("2026-07-06") });
  return {
    id,
    unitA,
    unitB,
    admin,
    organizerA,
    organizerB,
    a,
    b,
    owedA: owed(a),
    settlementA: settledA.settlementId,
    settlementB: settledB.settlementId,
  };
}

beforeAll(async () => {
  await truncateAllTables();
  shop = await createShop({ feeRateBp: 800, priceFen: 8850 });
  world = await settledForTwoUnits();
});

describe("the settlement statement", () => {
  it("lists the unit's orders only, with the settlement, and the households credited add up with the fee to the amount", async () => {
    const statement = await loadStatement(world.settlementA);
    expect(statement).toMatchObject({ reference: "ICBC-A-001", amountFen: world.owedA, totalFen: world.owedA });
    expect(statement.unit.id).toBe(world.unitA.id);
    expect(statement.orders.map((o) => o.number).sort()).toEqual(world.a.map((o) => o.number).sort());
    expect(statement.orders.every((o) => o.lines.length === 1 && o.lines[0]!.lineTotalFen === o.amountFen)).toBe(true);
    expect(statement.households.length).toBe(2);
    expect(statement.creditedFen + statement.feeFen).toBe(world.owedA);
    const credited = await db.ledgerEntry.aggregate({
      where: { kind: "sale_credit", orderId: { in: world.a.map((o) => o.id) } },
      _sum: { amountFen: true },
    });
    expect(statement.creditedFen).toBe(credited._sum.amountFen);
  });

  it("reads back from Excel: summary, one row per line and a total, the households", async () => {
    const statement = await loadStatement(world.settlementA);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await workbookXlsx(statementTables(statement, "zh"))) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["汇总", "订单明细", "入账农户"]);
    const lines = workbook.getWorksheet("订单明细")!;
    expect(lines.rowCount).toBe(1 + 45 + 1);
    expect(lines.getRow(lines.rowCount).getCell(6).value).toBe(world.owedA / 100);
    const summary = workbook.getWorksheet("汇总")!;
    const rows = summary.getSheetValues().slice(2) as unknown[][];
    expect(rows.find((row) => row[1] === "凭证号")?.[2]).toBe("ICBC-A-001");
  });
});

async function cookieFor(roles: Role[], unitId: string | null, villageId: string | null) {
  const user = await db.user.create({
    data: {
      name: "测试",
      email: `${roles.join("-")}-${Math.random()}@t.example`,
      passwordHash: "x",
      unitId,
      villageId,
      roles: { create: roles.map((role) => ({ role })) },
    },
  });
  return (await createUserSession(user.id, "/")).headers.get("Set-Cookie")!.split(";")[0]!;
}

describe("who may open the statement pages", () => {
  it("answers every role on every new route", async () => {
    const otherVillage = await db.village.create({ data: { name: "别村", nameEn: "Elsewhere", county: "魏县" } });
    await db.cooperative.create({ data: { villageId: otherVillage.id, name: "别社", nameEn: "Other co-op", deliveryFeeFen: 0 } });
    const cookies = {
      signedOut: "",
      employee: await cookieFor(["employee"], world.unitA.id, null),
      organizerOwn: await cookieFor(["employee", "organizer"], world.unitA.id, null),
      organizerOther: await cookieFor(["employee", "organizer"], world.unitB.id, null),
      coop: await cookieFor(["coop"], null, shop.village.id),
      coopOtherVillage: await cookieFor(["coop"], null, otherVillage.id),
      team: await cookieFor(["team"], null, shop.village.id),
      admin: await cookieFor(["admin"], null, null),
    };
    type Who = keyof typeof cookies;
    const organizerPath = `/organizer/group-orders/${world.id}/statement/${world.unitA.id}`;
    const params = { id: world.id, unitId: world.unitA.id, settlementId: world.settlementA };
    const routes: [string, (args: LoaderFunctionArgs) => Promise<unknown>][] = [
      [organizerPath, organizerStatement],
      [`${organizerPath}/xlsx`, organizerStatementXlsx],
      ["/coop/settlements", coopSettlements],
      [`/coop/settlements/${world.settlementA}`, coopStatement],
      [`/coop/settlements/${world.settlementA}/xlsx`, coopStatementXlsx],
    ];
    const expected: Record<string, Record<Who, number>> = {
      [organizerPath]: {
        signedOut: 302,
        employee: 403,
        organizerOwn: 200,
        organizerOther: 403,
        coop: 403,
        coopOtherVillage: 403,
        team: 403,
        admin: 200,
      },
      [`${organizerPath}/xlsx`]: {
        signedOut: 302,
        employee: 403,
        organizerOwn: 200,
        organizerOther: 403,
        coop: 403,
        coopOtherVillage: 403,
        team: 403,
        admin: 200,
      },
      "/coop/settlements": {
        signedOut: 302,
        employee: 403,
        organizerOwn: 403,
        organizerOther: 403,
        coop: 200,
        coopOtherVillage: 200,
        team: 403,
        admin: 403,
      },
      [`/coop/settlements/${world.settlementA}`]: {
        signedOut: 302,
        employee: 403,
        organizerOwn: 403,
        organizerOther: 403,
        coop: 200,
        coopOtherVillage: 403,
        team: 403,
        admin: 403,
      },
      [`/coop/settlements/${world.settlementA}/xlsx`]: {
        signedOut: 302,
        employee: 403,
        organizerOwn: 403,
        organizerOther: 403,
        coop: 200,
        coopOtherVillage: 403,
        team: 403,
        admin: 403,
      },
    };
    const answers: Record<string, Record<string, number>> = {};
    for (const [path, loader] of routes) {
      answers[path] = {};
      for (const who of Object.keys(cookies) as Who[]) {
        answers[path][who] = (await outcome(() => loader({ request: routeRequest(path, cookies[who]), params, context: {} }))).status;
      }
    }
    expect(answers).toEqual(expected);

    // The other village's cooperative sees none of this cooperative's settlements; this one sees both units'.
    const listed = async (cookie: string) =>
      (await outcome(() => coopSettlements({ request: routeRequest("/coop/settlements", cookie), params: {}, context: {} }))).data as {
        settlements: { id: string }[];
      };
    expect((await listed(cookies.coopOtherVillage)).settlements).toEqual([]);
    expect((await listed(cookies.coop)).settlements.map((s) => s.id).sort()).toEqual([world.settlementA, world.settlementB].sort());
    // B's statement is B's organizer's: A's organizer gets 403, and a unit that has not settled has none (404).
    const bPath = `/organizer/group-orders/${world.id}/statement/${world.unitB.id}`;
    const bParams = { id: world.id, unitId: world.unitB.id };
    expect(
      (await outcome(() => organizerStatement({ request: routeRequest(bPath, cookies.organizerOwn), params: bParams, context: {} })))
        .status,
    ).toBe(403);
    const unsettled = await db.unit.create({ data: { code: "U-C", name: "三队", nameEn: "Team 3" } });
    await db.groupOrderUnit.create({ data: { groupOrderId: world.id, unitId: unsettled.id } });
    const cPath = `/organizer/group-orders/${world.id}/statement/${unsettled.id}`;
    const cParams = { id: world.id, unitId: unsettled.id };
    expect(
      (await outcome(() => organizerStatement({ request: routeRequest(cPath, cookies.admin), params: cParams, context: {} }))).status,
    ).toBe(404);
    // The download is an Excel file named after the day paid and the unit.
    const download = await organizerStatementXlsx({
      request: routeRequest(`${organizerPath}/xlsx`, cookies.organizerOwn),
      params,
      context: {},
    });
    expect(download.headers.get("Content-Type")).toContain("spreadsheetml");
    expect(download.headers.get("Content-Disposition")).toContain(`statement-2026-07-05-${world.unitA.code}`);
  });
});
