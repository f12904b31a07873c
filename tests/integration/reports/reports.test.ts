import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  householdIncomeReport,
  salesCoverage,
  topProducts,
  unitPurchases,
  villageMonthlyIncome,
  yearPeriod,
} from "~/domain/households/reports.server";
import { localeCookie } from "~/i18n/i18n.server";
import { loader as dashboardLoader } from "~/routes/team.dashboard";
import { loader as householdsExport } from "~/routes/team.reports.households";
import { loader as reportsPage } from "~/routes/team.reports._index";
import { loader as unitsExport } from "~/routes/team.reports.units";
import { truncateAllTables } from "../../setup/reset";
import { outcome, routeRequest, signedIn } from "../route-helpers";
import { seedReportVillage, YEAR } from "./dataset";

let data: Awaited<ReturnType<typeof seedReportVillage>>;
let team: string;

beforeAll(async () => {
  await truncateAllTables();
  data = await seedReportVillage();
  team = (await signedIn(["team"], data.shop.village.id)).cookie;
});

const period = `from=${YEAR}-01-01&to=${YEAR}-12-31`;
const call = (loader: typeof householdsExport, path: string, cookie = team) =>
  loader({ request: routeRequest(path, cookie), params: {}, context: {} }) as Promise<Response>;

describe("the figures, aggregated in SQL", () => {
  it("gives each household its credits, reversals, net income, payouts, other income and per-capita income for a year", async () => {
    const rows = await householdIncomeReport(data.shop.village.id, yearPeriod(YEAR));
    expect(rows.map(({ id: _id, ...row }) => row)).toEqual([
      {
        code: "AS-001",
        headName: "赵春生",
        status: "registered_poor",
        memberCount: 3,
        creditsFen: 15_000,
        reversalsFen: -2_000,
        netFen: 13_000,
        payoutsFen: 8_000,
        otherFen: 1_200_000,
        perCapitaFen: 404_333,
      },
      {
        code: "AS-002",
        headName: "钱秋实",
        status: "low_income",
        memberCount: 2,
        creditsFen: 3_000,
        reversalsFen: 0,
        netFen: 3_000,
        payoutsFen: 0,
        otherFen: 0,
        perCapitaFen: 1_500,
      },
      {
        code: "AS-003",
        headName: "孙冬梅",
        status: "other",
        memberCount: 4,
        creditsFen: 0,
        reversalsFen: 0,
        netFen: 0,
        payoutsFen: 0,
        otherFen: 0,
        perCapitaFen: 0,
      },
    ]);
  });

  it("counts a period's days in Shanghai time and the other income of every year it touches", async () => {
    const rows = await householdIncomeReport(data.shop.village.id, { from: "2024-12-31", to: "2025-03-10" });
    expect(rows.map((r) => [r.code, r.creditsFen, r.otherFen])).toEqual([
      ["AS-001", 10_000, 1_200_000],
      ["AS-002", 7_777, 50_000],
      ["AS-003", 0, 0],
    ]);
  });

  it("sums the village's income per month, and counts the households with sales", async () => {
    const monthly = await villageMonthlyIncome(data.shop.village.id, YEAR);
    expect(monthly.filter((m) => m.incomeFen !== 0)).toEqual([
      { month: 3, incomeFen: 10_000 },
      { month: 7, incomeFen: 3_000 },
      { month: 12, incomeFen: 3_000 },
    ]);
    expect(await salesCoverage(data.shop.village.id, YEAR)).toEqual({
      households: 3,
      withSales: 2,
      registeredPoor: 1,
      registeredPoorWithSales: 1,
    });
  });

  it("gives each unit its paid orders, amount net of refunds and units kept, and the best-selling products", async () => {
    expect(await unitPurchases(data.shop.village.id, yearPeriod(YEAR))).toEqual([
      { unitId: data.units.hq.id, name: "局机关", nameEn: "Bureau HQ", orders: 2, amountFen: 32_600, units: 8 },
      { unitId: null, name: null, nameEn: null, orders: 1, amountFen: 8_800, units: 1 },
      { unitId: data.units.institute.id, name: "地勘一院", nameEn: "First Institute", orders: 1, amountFen: 5_000, units: 2 },
    ]);
    const products = await topProducts(data.shop.village.id, yearPeriod(YEAR));
    expect(products.map((p) => [p.skuId, p.amountFen, p.units])).toEqual([
      [data.skus.peach.id, 26_400, 3],
      [data.skus.noodle.id, 20_000, 8],
    ]);
  });

  it("serves the dashboard for the team's village: top households by amount or by code, all on request", async () => {
    const byAmount = await outcome(() =>
      dashboardLoader({ request: routeRequest(`/team/dashboard?year=${YEAR}`, team), params: {}, context: {} }),
    );
    expect(byAmount.status).toBe(200);
    type Dashboard = {
      totalFen: number;
      households: { code: string; netFen: number }[];
      units: unknown[];
      coverage: { withSales: number };
      years: number[];
    };
    const d = (byAmount.data as { dashboard: Dashboard }).dashboard;
    expect(d.totalFen).toBe(16_000);
    expect(d.households.map((h) => [h.code, h.netFen])).toEqual([
      ["AS-001", 13_000],
      ["AS-002", 3_000],
      ["AS-003", 0],
    ]);
    expect(d.units).toHaveLength(3);
    expect(d.years).toContain(2024);
    const byCode = await outcome(() =>
      dashboardLoader({ request: routeRequest(`/team/dashboard?year=${YEAR}&sort=code&all=1`, team), params: {}, context: {} }),
    );
    expect((byCode.data as { dashboard: Dashboard }).dashboard.households.map((h) => h.code)).toEqual(["AS-001", "AS-002", "AS-003"]);
  });

  it("refuses a malformed dashboard query with 400", async () => {
    for (const query of ["year=abc", "year=1999", "year=2999", "sort=name"]) {
      expect(
        (await outcome(() => dashboardLoader({ request: routeRequest(`/team/dashboard?${query}`, team), params: {}, context: {} }))).status,
        query,
      ).toBe(400);
    }
  });

  it("shows an admin without a village every village's figures", async () => {
    const admin = (await signedIn(["admin"], null)).cookie;
    const d = (
      await outcome(() => dashboardLoader({ request: routeRequest(`/team/dashboard?year=${YEAR}`, admin), params: {}, context: {} }))
    ).data as { dashboard: { totalFen: number } };
    expect(d.dashboard.totalFen).toBe(16_000 + 99_999);
  });
});

describe("the exports", () => {
  it("writes the household report as CSV: UTF-8 with a BOM, CRLF, a header and yuan with two decimals", async () => {
    const response = await call(householdsExport, `/team/reports/households?${period}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="household-income_${YEAR}-01-01_${YEAR}-12-31.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split("\r\n");
    expect(lines[0]).toBe(
      '"户码","户主","类别","销售入账（元）","退款冲回（元）","消费帮扶净收入（元）","已付给农户（元）","其他收入（元）","家庭人口","人均收入（元）"',
    );
    expect(lines[1]).toBe('"AS-001","赵春生","建档立卡户","150.00","-20.00","130.00","80.00","12000.00","3","4043.33"');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe("");
  });

  it("writes the unit report as XLSX with a bold, frozen header and yuan numbers", async () => {
    const response = await call(unitsExport, `/team/reports/units?${period}&format=xlsx`);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="unit-purchases_${YEAR}-01-01_${YEAR}-12-31.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe("单位采购");
    expect(sheet.getRow(1).values).toEqual([undefined, "单位", "订单数", "金额（元）", "件数"]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getRow(2).values).toEqual([undefined, "局机关", 2, 326, 8]);
    expect(sheet.getRow(3).values).toEqual([undefined, "（无单位）", 1, 88, 1]);
    expect(sheet.getCell("C2").numFmt).toBe("0.00");
    expect(sheet.rowCount).toBe(4);
  });

  it("writes the household report as XLSX in English when the reader chose English", async () => {
    const english = (await localeCookie.serialize("en")).split(";")[0];
    const request = new Request(`http://localhost/team/reports/households?${period}&format=xlsx`, {
      headers: { Cookie: `${team}; ${english}` },
    });
    const response = (await householdsExport({ request, params: {}, context: {} })) as Response;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getCell("A1").value).toBe("Code");
    expect(sheet.getRow(2).values).toEqual([undefined, "AS-001", "赵春生", "Registered poor", 150, -20, 130, 80, 12000, 3, 4043.33]);
  });

  it.each([
    ["from=2025-02-30&to=2025-03-01", "from", "reports.errors.date"],
    ["to=2025-03-01", "from", "reports.errors.date"],
    ["from=2025-03-02&to=2025-03-01", "to", "reports.errors.order"],
    ["from=2020-01-01&to=2025-01-01", "to", "reports.errors.tooLong"],
  ])("refuses the period %s with 422 and a message on %s", async (query, field, message) => {
    for (const loader of [householdsExport, unitsExport]) {
      const result = await outcome(() => call(loader, `/team/reports/x?${query}&format=csv`));
      expect(result.status).toBe(422);
      expect((result.data as { result: { error: Record<string, string[]> } }).result.error[field]).toEqual([message]);
    }
    const page = await outcome(() => reportsPage({ request: routeRequest(`/team/reports?${query}`, team), params: {}, context: {} }));
    expect(page.status).toBe(422);
    expect((page.data as { result: { error: Record<string, string[]> } }).result.error[field]).toEqual([message]);
  });

  it("accepts a period of just under five years and offers its downloads", async () => {
    const page = await outcome(() =>
      reportsPage({ request: routeRequest("/team/reports?from=2020-01-01&to=2024-12-31", team), params: {}, context: {} }),
    );
    expect(page).toMatchObject({ status: 200, data: { period: { from: "2020-01-01", to: "2024-12-31" } } });
  });
});
