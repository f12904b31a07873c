import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { loader as dashboardLoader } from "~/routes/team.dashboard";
import { loader as printLoader } from "~/routes/team.households.$householdId_.print";
import { loader as householdsExport } from "~/routes/team.reports.households";
import { loader as reportsPage } from "~/routes/team.reports._index";
import { loader as unitsExport } from "~/routes/team.reports.units";
import { truncateAllTables } from "../../setup/reset";
import { outcome, routeRequest, signedIn } from "../route-helpers";
import { seedReportVillage, YEAR } from "./dataset";

let data: Awaited<ReturnType<typeof seedReportVillage>>;

beforeAll(async () => {
  await truncateAllTables();
  data = await seedReportVillage();
});

const period = `from=${YEAR}-01-01&to=${YEAR}-12-31`;
const cookieFor = async (roles: Role[], villageId: string | null = data.shop.village.id) => (await signedIn(roles, villageId)).cookie;
const printFile = (id: string, cookie: string, query = `year=${YEAR}`) =>
  printLoader({
    request: routeRequest(`/team/households/${id}/print?${query}`, cookie),
    params: { householdId: id },
    context: { clientIp: "198.51.100.7" },
  });

const routes = () => [
  {
    name: "dashboard",
    run: (cookie: string) => dashboardLoader({ request: routeRequest(`/team/dashboard?year=${YEAR}`, cookie), params: {}, context: {} }),
  },
  {
    name: "reports page",
    run: (cookie: string) => reportsPage({ request: routeRequest(`/team/reports?${period}`, cookie), params: {}, context: {} }),
  },
  {
    name: "household export",
    run: (cookie: string) =>
      householdsExport({ request: routeRequest(`/team/reports/households?${period}&format=xlsx`, cookie), params: {}, context: {} }),
  },
  {
    name: "unit export",
    run: (cookie: string) =>
      unitsExport({ request: routeRequest(`/team/reports/units?${period}&format=csv`, cookie), params: {}, context: {} }),
  },
  { name: "print", run: (cookie: string) => printFile(data.households.a.id, cookie) },
];

describe("access to the dashboard, the reports and the printed file", () => {
  it("sends signed-out visitors to sign in and refuses employees, organizers and the cooperative", async () => {
    const employee = await cookieFor(["employee", "organizer"]);
    const coop = await cookieFor(["coop"]);
    for (const route of routes()) {
      expect(await outcome(() => route.run("")), route.name).toMatchObject({
        status: 302,
        location: expect.stringMatching(/^\/login\?redirectTo=%2Fteam%2F/),
      });
      expect((await outcome(() => route.run(employee))).status, route.name).toBe(403);
      expect((await outcome(() => route.run(coop))).status, route.name).toBe(403);
    }
    expect(await db.auditLog.count()).toBe(0);
  });

  it("opens every route to the village's team and to an admin", async () => {
    for (const cookie of [await cookieFor(["team"]), await cookieFor(["admin"], null)]) {
      for (const route of routes()) expect((await outcome(() => route.run(cookie))).status, route.name).toBe(200);
    }
  });

  it("shows another village's team none of this village's figures, and not its household files (404)", async () => {
    const outsider = await cookieFor(["team"], data.otherVillage.id);
    expect((await outcome(() => printFile(data.households.a.id, outsider))).status).toBe(404);
    const dashboard = await outcome(() =>
      dashboardLoader({ request: routeRequest(`/team/dashboard?year=${YEAR}`, outsider), params: {}, context: {} }),
    );
    const d = (dashboard.data as { dashboard: { totalFen: number; households: { code: string }[]; units: { amountFen: number }[] } })
      .dashboard;
    expect(d.totalFen).toBe(99_999);
    expect(d.households.map((h) => h.code)).toEqual(["AS-001"]);
    expect(d.units.map((u) => u.amountFen)).toEqual([79_200]);
    const csv = await (
      (await householdsExport({
        request: routeRequest(`/team/reports/households?${period}`, outsider),
        params: {},
        context: {},
      })) as Response
    ).text();
    expect(csv).toContain("外村");
    expect(csv).not.toContain("赵春生");
  });
});

describe("the printed household file", () => {
  it("is audited as an opening of the file and carries the year's ledger with a running balance", async () => {
    const team = await signedIn(["team"], data.shop.village.id);
    const page = await outcome(() => printFile(data.households.b.id, team.cookie));
    expect(page.status).toBe(200);
    expect(await db.auditLog.findFirstOrThrow({ where: { actorId: team.user.id } })).toMatchObject({
      action: "household.file.read",
      entityType: "Household",
      entityId: data.households.b.id,
      ip: "198.51.100.7",
    });
    const { ledger, income } = page.data as {
      ledger: { openingFen: number; entries: { amountFen: number; balanceFen: number }[] };
      income: { year: number };
    };
    expect(ledger.openingFen).toBe(7_777);
    expect(ledger.entries.map((e) => [e.amountFen, e.balanceFen])).toEqual([[3_000, 10_777]]);
    expect(income.year).toBe(YEAR);
  });

  it("refuses a malformed year with 400 before opening the file", async () => {
    const team = await signedIn(["team"], data.shop.village.id);
    expect((await outcome(() => printFile(data.households.a.id, team.cookie, "year=twenty"))).status).toBe(400);
    expect(await db.auditLog.count({ where: { actorId: team.user.id } })).toBe(0);
  });
});
