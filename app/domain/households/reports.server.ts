// The work team's figures for reporting upward: the dashboard and the period exports. Every figure is one SQL
// aggregate (GROUP BY over the ledger or the orders), never a loop of queries per household, so a year of ~300
// households and hundreds of thousands of ledger entries stays well under a second (scripts/bench/reports.ts).
// Periods are calendar dates in the shop's time zone (Asia/Shanghai); timestamps are stored as UTC.
import { db, Prisma } from "~/db/client.server";
import type { Locale } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import { currentShopYear, shopDayEnd, shopDayStart } from "~/utils/dates";
import { shopMonthOf } from "~/utils/dates.server";
import { tableDownload, type ReportTable } from "~/utils/tables.server";
import { countedIn, purchaseLinesAt } from "~/domain/purchases/counted.server";
import { LEDGER_ENTRY_LABEL } from "./files.server";
import type { Period } from "./report-schemas";

const inVillage = (column: Prisma.Sql, villageId: string | null) =>
  villageId === null ? Prisma.empty : Prisma.sql`AND ${column} = ${villageId}`;

export const yearPeriod = (year: number): Period => ({ from: `${year}-01-01`, to: `${year}-12-31` });

/**
 * The half-open UTC range [start, end) of a period, as text for a `timestamp` (UTC) column: Shanghai has no
 * daylight saving, so a shop day starts at 16:00 UTC the day before.
 */
function periodBounds(period: Period) {
  return { start: shopDayStart(period.from).toISOString(), end: shopDayEnd(period.to).toISOString() };
}

const fen = (value: bigint | number | null) => Number(value ?? 0);

export type HouseholdIncomeRow = {
  id: string;
  code: string;
  headName: string;
  status: string;
  memberCount: number;
  creditsFen: number;
  reversalsFen: number;
  /** Consumption-assistance income: credits plus reversals (which are negative). */
  netFen: number;
  /** Paid out to the household in the period, as a positive amount (payouts are not income). */
  payoutsFen: number;
  /** Other income recorded in the file for the calendar years the period touches. */
  otherFen: number;
  perCapitaFen: number;
};

/** Every household of the village with its consumption-assistance income, payouts and other income for a period. */
export async function householdIncomeReport(villageId: string | null, period: Period): Promise<HouseholdIncomeRow[]> {
  const { start, end } = periodBounds(period);
  const rows = await db.$queryRaw<
    {
      id: string;
      code: string;
      headName: string;
      status: string;
      memberCount: number;
      creditsFen: bigint | null;
      reversalsFen: bigint | null;
      payoutsFen: bigint | null;
      otherFen: bigint | null;
    }[]
  >`
    SELECT h."id", h."code", h."headName", h."status"::text AS "status", h."memberCount",
      l."creditsFen", l."reversalsFen", l."payoutsFen", o."otherFen"
    FROM "Household" h
    LEFT JOIN (
      SELECT e."householdId",
        SUM(e."amountFen") FILTER (WHERE e."kind" = 'sale_credit')::bigint AS "creditsFen",
        SUM(e."amountFen") FILTER (WHERE e."kind" = 'sale_reversal')::bigint AS "reversalsFen",
        (-SUM(e."amountFen") FILTER (WHERE e."kind" = 'payout'))::bigint AS "payoutsFen"
      FROM "LedgerEntry" e
      WHERE e."occurredAt" >= ${start}::timestamp AND e."occurredAt" < ${end}::timestamp
        AND e."kind" IN ('sale_credit', 'sale_reversal', 'payout')
      GROUP BY e."householdId"
    ) l ON l."householdId" = h."id"
    LEFT JOIN (
      SELECT i."householdId", SUM(i."amountFen")::bigint AS "otherFen" FROM "HouseholdIncome" i
      WHERE i."year" BETWEEN ${Number(period.from.slice(0, 4))} AND ${Number(period.to.slice(0, 4))}
      GROUP BY i."householdId"
    ) o ON o."householdId" = h."id"
    WHERE TRUE ${inVillage(Prisma.sql`h."villageId"`, villageId)}
    ORDER BY h."code"`;
  return rows.map((row) => {
    const creditsFen = fen(row.creditsFen);
    const reversalsFen = fen(row.reversalsFen);
    const otherFen = fen(row.otherFen);
    return {
      id: row.id,
      code: row.code,
      headName: row.headName,
      status: row.status,
      memberCount: row.memberCount,
      creditsFen,
      reversalsFen,
      netFen: creditsFen + reversalsFen,
      payoutsFen: fen(row.payoutsFen),
      otherFen,
      perCapitaFen: Math.floor((creditsFen + reversalsFen + otherFen) / Math.max(1, row.memberCount)),
    };
  });
}

/**
 * The order lines paid in a period (orders since refunded in full included, so their refunds net out), with their
 * SKU, product, cooperative and refunded amount, for the village; `joins` adds tables before the WHERE.
 */
function soldLines(start: string, end: string, villageId: string | null, joins: Prisma.Sql = Prisma.empty) {
  return Prisma.sql`FROM "Order" o
    JOIN "OrderLine" l ON l."orderId" = o."id"
    JOIN "Sku" s ON s."id" = l."skuId"
    JOIN "Product" p ON p."id" = s."productId"
    JOIN "Cooperative" c ON c."id" = p."cooperativeId"
    LEFT JOIN (SELECT "orderLineId", SUM("amountFen") AS "refundedFen" FROM "RefundLine" GROUP BY "orderLineId") r ON r."orderLineId" = l."id"
    ${joins}
    WHERE o."paidAt" >= ${start}::timestamp AND o."paidAt" < ${end}::timestamp AND o."status" IN ('paid', 'refunded')
      ${inVillage(Prisma.sql`c."villageId"`, villageId)}`;
}

/** Over `soldLines`: the goods' amount net of refunds and the units kept. */
const SOLD_AMOUNT_AND_UNITS = Prisma.sql`SUM(l."lineTotalFen" - COALESCE(r."refundedFen", 0))::bigint AS "amountFen",
      SUM(l."quantity" - l."refundedQuantity")::bigint AS "units"`;

export type UnitPurchaseRow = {
  unitId: string | null;
  name: string | null;
  nameEn: string | null;
  orders: number;
  amountFen: number;
  units: number;
};

/**
 * What each bureau unit bought from the village in a period: counted purchases (paid and received, net of refunds,
 * in the period of receipt; app/domain/purchases/counted.server.ts), with the orders that counted and the units kept.
 * Delivery fees are not produce and are not included.
 */
export async function unitPurchases(villageId: string | null, period: Period, now = new Date()): Promise<UnitPurchaseRow[]> {
  const { start, end } = periodBounds(period);
  const rows = await db.$queryRaw<
    { unitId: string | null; name: string | null; nameEn: string | null; orders: number; amountFen: bigint; units: bigint }[]
  >`
    SELECT u."id" AS "unitId", u."name", u."nameEn", COUNT(DISTINCT pl."orderId")::int AS "orders",
      SUM(pl."amountFen")::bigint AS "amountFen", SUM(pl."units")::bigint AS "units"
    FROM ${purchaseLinesAt(now)} pl
    JOIN "Sku" s ON s."id" = pl."skuId"
    JOIN "Product" p ON p."id" = s."productId"
    JOIN "Cooperative" c ON c."id" = p."cooperativeId"
    LEFT JOIN "Unit" u ON u."id" = pl."unitId"
    WHERE ${countedIn("pl", start, end)} ${inVillage(Prisma.sql`c."villageId"`, villageId)}
    GROUP BY u."id", u."name", u."nameEn"
    ORDER BY "amountFen" DESC, u."name"`;
  return rows.map((row) => ({ ...row, amountFen: fen(row.amountFen), units: fen(row.units) }));
}

export const TOP_PRODUCTS = 10;

/** The SKUs that sold most in a period, by amount net of refunds, with the units kept. */
export async function topProducts(villageId: string | null, period: Period) {
  const { start, end } = periodBounds(period);
  const rows = await db.$queryRaw<
    { skuId: string; productZh: string; productEn: string; skuZh: string; skuEn: string; amountFen: bigint; units: bigint }[]
  >`
    SELECT s."id" AS "skuId", p."nameZh" AS "productZh", p."nameEn" AS "productEn", s."nameZh" AS "skuZh", s."nameEn" AS "skuEn",
      ${SOLD_AMOUNT_AND_UNITS}
    ${soldLines(start, end, villageId)}
    GROUP BY s."id", p."nameZh", p."nameEn", s."nameZh", s."nameEn"
    ORDER BY "amountFen" DESC, s."id"
    LIMIT ${TOP_PRODUCTS}`;
  return rows.map((row) => ({ ...row, amountFen: fen(row.amountFen), units: fen(row.units) }));
}

/**
 * The village's consumption-assistance income per month of a year (all twelve months, zero where none). Months are the
 * shop's (shopMonthOf).
 */
export async function villageMonthlyIncome(villageId: string | null, year: number) {
  const { start, end } = periodBounds(yearPeriod(year));
  const rows = await db.$queryRaw<{ month: number; incomeFen: bigint }[]>`
    SELECT ${shopMonthOf(Prisma.sql`e."occurredAt"`)}::int AS "month", SUM(e."amountFen")::bigint AS "incomeFen"
    FROM "LedgerEntry" e
    JOIN "Household" h ON h."id" = e."householdId"
    WHERE e."occurredAt" >= ${start}::timestamp AND e."occurredAt" < ${end}::timestamp
      AND e."kind" IN ('sale_credit', 'sale_reversal') ${inVillage(Prisma.sql`h."villageId"`, villageId)}
    GROUP BY 1`;
  return Array.from({ length: 12 }, (_, i) => ({ month: i + 1, incomeFen: fen(rows.find((r) => r.month === i + 1)?.incomeFen ?? 0) }));
}

/** How many of the village's households (and of its registered-poor households) had a sale credited in a year. */
export async function salesCoverage(villageId: string | null, year: number) {
  const { start, end } = periodBounds(yearPeriod(year));
  const [row] = await db.$queryRaw<{ households: number; withSales: number; registeredPoor: number; registeredPoorWithSales: number }[]>`
    SELECT COUNT(*)::int AS "households", COUNT(*) FILTER (WHERE s."sold")::int AS "withSales",
      COUNT(*) FILTER (WHERE h."status" = 'registered_poor')::int AS "registeredPoor",
      COUNT(*) FILTER (WHERE h."status" = 'registered_poor' AND s."sold")::int AS "registeredPoorWithSales"
    FROM "Household" h
    CROSS JOIN LATERAL (
      SELECT EXISTS (
        SELECT 1 FROM "LedgerEntry" e
        WHERE e."householdId" = h."id" AND e."kind" = 'sale_credit' AND e."occurredAt" >= ${start}::timestamp AND e."occurredAt" < ${end}::timestamp
      ) AS "sold"
    ) s
    WHERE TRUE ${inVillage(Prisma.sql`h."villageId"`, villageId)}`;
  return row ?? { households: 0, withSales: 0, registeredPoor: 0, registeredPoorWithSales: 0 };
}

/** The years a dashboard offers: from the first ledger entry's year to this year. */
export async function reportYears(villageId: string | null, now = new Date()) {
  const [row] = await db.$queryRaw<{ first: Date | null }[]>`
    SELECT MIN(e."occurredAt") AS "first" FROM "LedgerEntry" e JOIN "Household" h ON h."id" = e."householdId"
    WHERE TRUE ${inVillage(Prisma.sql`h."villageId"`, villageId)}`;
  const last = currentShopYear(now);
  const first = row?.first ? Math.min(last, currentShopYear(row.first)) : last;
  return Array.from({ length: last - first + 1 }, (_, i) => last - i);
}

/** Everything the dashboard shows for a year, queried in parallel. */
export async function teamDashboard(villageId: string | null, year: number) {
  const period = yearPeriod(year);
  const [households, monthly, coverage, units, products] = await Promise.all([
    householdIncomeReport(villageId, period),
    villageMonthlyIncome(villageId, year),
    salesCoverage(villageId, year),
    unitPurchases(villageId, period),
    topProducts(villageId, period),
  ]);
  return {
    households: households.map(({ id, code, netFen }) => ({ id, code, netFen })),
    totalFen: households.reduce((sum, h) => sum + h.netFen, 0),
    monthly,
    coverage,
    units,
    products,
  };
}

/** The household income report as a table for CSV/XLSX; money columns hold fen (shown as yuan). */
export function householdIncomeTable(rows: HouseholdIncomeRow[], locale: Locale): ReportTable {
  const m = catalogs[locale].reports.columns;
  const status = catalogs[locale].households.status;
  return {
    sheet: catalogs[locale].reports.householdSheet,
    header: [m.code, m.headName, m.status, m.credits, m.reversals, m.net, m.payouts, m.other, m.members, m.perCapita],
    rows: rows.map((r) => [
      r.code,
      r.headName,
      status[r.status as keyof typeof status] ?? r.status,
      r.creditsFen,
      r.reversalsFen,
      r.netFen,
      r.payoutsFen,
      r.otherFen,
      r.memberCount,
      r.perCapitaFen,
    ]),
    moneyColumns: [3, 4, 5, 6, 7, 9],
  };
}

export function unitPurchasesTable(rows: UnitPurchaseRow[], locale: Locale): ReportTable {
  const m = catalogs[locale].reports.columns;
  return {
    sheet: catalogs[locale].reports.unitSheet,
    header: [m.unit, m.orders, m.amount, m.units],
    rows: rows.map((r) => [(locale === "en" ? r.nameEn : r.name) ?? m.noUnit, r.orders, r.amountFen, r.units]),
    moneyColumns: [2],
  };
}

/**
 * One year of a household's ledger, oldest first, each entry with the balance after it; the opening balance
 * carries every earlier entry, so the last balance is the household's balance at the end of the year.
 */
export async function householdYearLedger(householdId: string, year: number) {
  const { start, end } = periodBounds(yearPeriod(year));
  const [entries, [opening]] = await Promise.all([
    db.$queryRaw<
      {
        id: bigint;
        kind: string;
        amountFen: number;
        occurredAt: Date;
        balanceFen: bigint;
        orderNumber: string | null;
        payoutReference: string | null;
      }[]
    >`
      SELECT x."id", x."kind", x."amountFen", x."occurredAt", x."balanceFen", o."number" AS "orderNumber", p."reference" AS "payoutReference"
      FROM (
        SELECT e."id", ${LEDGER_ENTRY_LABEL} AS "kind", e."amountFen", e."occurredAt", e."orderId", e."payoutId",
          SUM(e."amountFen") OVER (ORDER BY e."occurredAt", e."id")::bigint AS "balanceFen"
        FROM "LedgerEntry" e
        WHERE e."householdId" = ${householdId} AND e."occurredAt" < ${end}::timestamp
      ) x
      LEFT JOIN "Order" o ON o."id" = x."orderId"
      LEFT JOIN "Payout" p ON p."id" = x."payoutId"
      WHERE x."occurredAt" >= ${start}::timestamp
      ORDER BY x."occurredAt", x."id"`,
    db.$queryRaw<{ balanceFen: bigint }[]>`
      SELECT COALESCE(SUM("amountFen"), 0)::bigint AS "balanceFen" FROM "LedgerEntry" WHERE "householdId" = ${householdId} AND "occurredAt" < ${start}::timestamp`,
  ]);
  return {
    openingFen: fen(opening?.balanceFen ?? 0),
    entries: entries.map((e) => ({ ...e, id: String(e.id), balanceFen: fen(e.balanceFen) })),
  };
}

/** A report as a download (XLSX or CSV), named after the report and its period. */
export function reportDownload(table: ReportTable, name: string, period: Period, format: "csv" | "xlsx") {
  return tableDownload(table, `${name}_${period.from}_${period.to}`, format);
}
