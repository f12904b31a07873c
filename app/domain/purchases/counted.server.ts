// What a unit bought in a year (DOMAIN §3, counted purchase). "Counted" has one definition, the SQL function
// "purchase_lines"(at) (migration 20261201040000_counted_purchases): every line of a paid order with its amount net
// of refunded goods and "countedAt", the instant it counts — once it is paid and received (the buyer's or an
// organizer's confirmation, or the set number of days after delivery) — or NULL while it is paid but not received as
// of `at`. Every figure here and in the work team's "purchases per unit" reads that function; years and months are
// the shop's (dates.ts, dates.server.ts). Delivery fees are not produce and never count.
import { db, Prisma } from "~/db/client.server";
import type { Locale } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import type { ReportTable } from "~/utils/tables.server";
import { progressPercent } from "./progress";
import { currentShopYear, shopYearStart } from "~/utils/dates";
import { shopMonthOf } from "~/utils/dates.server";

const utcText = (instant: Date) => instant.toISOString();

/** The function's rows as of `at` (a test clock in tests, now otherwise), for a FROM clause. */
export function purchaseLinesAt(at: Date) {
  return Prisma.sql`"purchase_lines"(${utcText(at)}::timestamp)`;
}

/** The half-open UTC range of a shop year, as text for a `timestamp` (UTC) column. */
export function yearBounds(year: number) {
  return { start: utcText(shopYearStart(year)), end: utcText(shopYearStart(year + 1)) };
}

/** A condition on a `purchase_lines` alias: counted within [start, end). */
export function countedIn(alias: string, start: string, end: string) {
  const at = Prisma.raw(`${alias}."countedAt"`);
  return Prisma.sql`(${at} >= ${start}::timestamp AND ${at} < ${end}::timestamp)`;
}

const fen = (value: bigint | number | null | undefined) => Number(value ?? 0);

export type UnitYearRow = {
  unitId: string;
  code: string;
  name: string;
  nameEn: string;
  parentId: string | null;
  memberCount: number | null;
  targetFen: number | null;
  countedFen: number;
  /** Paid in the year but not received (as of now). */
  pendingFen: number;
  orders: number;
  buyers: number;
};

/**
 * Every unit's year: its target, what counted (received in the year), what was paid in the year and is not yet
 * received, and how many orders and buyers counted. One aggregate over the function, grouped by unit.
 */
export async function unitsYear(year: number, now = new Date(), unitIds?: string[]): Promise<UnitYearRow[]> {
  const { start, end } = yearBounds(year);
  const paidIn = Prisma.sql`(pl."paidAt" >= ${start}::timestamp AND pl."paidAt" < ${end}::timestamp)`;
  const onlyUnits = unitIds ? Prisma.sql`AND u."id" IN (${Prisma.join(unitIds)})` : Prisma.empty;
  const rows = await db.$queryRaw<
    (Omit<UnitYearRow, "countedFen" | "pendingFen"> & { countedFen: bigint | null; pendingFen: bigint | null })[]
  >`
    WITH figures AS (
      SELECT pl."unitId",
        SUM(pl."amountFen") FILTER (WHERE pl."countedAt" IS NOT NULL)::bigint AS "countedFen",
        SUM(pl."amountFen") FILTER (WHERE pl."countedAt" IS NULL)::bigint AS "pendingFen",
        COUNT(DISTINCT pl."orderId") FILTER (WHERE pl."countedAt" IS NOT NULL)::int AS "orders",
        COUNT(DISTINCT pl."userId") FILTER (WHERE pl."countedAt" IS NOT NULL)::int AS "buyers"
      FROM ${purchaseLinesAt(now)} pl
      WHERE pl."unitId" IS NOT NULL AND (${countedIn("pl", start, end)} OR (pl."countedAt" IS NULL AND ${paidIn}))
      GROUP BY pl."unitId"
    )
    SELECT u."id" AS "unitId", u."code", u."name", u."nameEn", u."parentId", u."memberCount", t."targetFen",
      f."countedFen", f."pendingFen", COALESCE(f."orders", 0) AS "orders", COALESCE(f."buyers", 0) AS "buyers"
    FROM "Unit" u
    LEFT JOIN "UnitTarget" t ON t."unitId" = u."id" AND t."year" = ${year}
    LEFT JOIN figures f ON f."unitId" = u."id"
    WHERE TRUE ${onlyUnits}
    ORDER BY u."code"`;
  return rows.map((row) => ({ ...row, countedFen: fen(row.countedFen), pendingFen: fen(row.pendingFen) }));
}

export type RolledUpRow = UnitYearRow & {
  depth: number;
  childCount: number;
  /** The unit with every unit under it: the parent's own figures plus its sub-units'. */
  rolledCountedFen: number;
  rolledTargetFen: number | null;
  rolledPendingFen: number;
};

/**
 * Units in tree order (each parent followed by its sub-units), with the figures of each unit and everything under it
 * summed. A cycle in the parent links (which no form allows) stops at the unit already seen.
 */
export function rollUp(rows: UnitYearRow[]): RolledUpRow[] {
  const children = new Map<string | null, UnitYearRow[]>();
  const ids = new Set(rows.map((row) => row.unitId));
  for (const row of rows) {
    const parent = row.parentId && ids.has(row.parentId) ? row.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), row]);
  }
  const out: RolledUpRow[] = [];
  const seen = new Set<string>();
  const visit = (row: UnitYearRow, depth: number): RolledUpRow => {
    seen.add(row.unitId);
    const entry: RolledUpRow = {
      ...row,
      depth,
      childCount: 0,
      rolledCountedFen: row.countedFen,
      rolledTargetFen: row.targetFen,
      rolledPendingFen: row.pendingFen,
    };
    out.push(entry);
    for (const child of children.get(row.unitId) ?? []) {
      if (seen.has(child.unitId)) continue;
      const sub = visit(child, depth + 1);
      entry.childCount++;
      entry.rolledCountedFen += sub.rolledCountedFen;
      entry.rolledPendingFen += sub.rolledPendingFen;
      if (sub.rolledTargetFen !== null) entry.rolledTargetFen = (entry.rolledTargetFen ?? 0) + sub.rolledTargetFen;
    }
    return entry;
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  for (const row of rows) if (!seen.has(row.unitId)) visit(row, 0);
  return out;
}

/** One unit's counted purchases per shop month of a year (all twelve months). */
export async function unitMonthly(unitId: string, year: number, now = new Date()) {
  const { start, end } = yearBounds(year);
  const rows = await db.$queryRaw<{ month: number; countedFen: bigint }[]>`
    SELECT ${shopMonthOf(Prisma.sql`pl."countedAt"`)}::int AS "month", SUM(pl."amountFen")::bigint AS "countedFen"
    FROM ${purchaseLinesAt(now)} pl
    WHERE pl."unitId" = ${unitId} AND ${countedIn("pl", start, end)}
    GROUP BY 1`;
  return Array.from({ length: 12 }, (_, i) => ({ month: i + 1, countedFen: fen(rows.find((r) => r.month === i + 1)?.countedFen) }));
}

/** The unit's members who bought in a year (counted), by amount: names only, for their own unit's organizer. */
export async function unitBuyers(unitId: string, year: number, now = new Date()) {
  const { start, end } = yearBounds(year);
  const rows = await db.$queryRaw<{ userId: string; name: string; orders: number; countedFen: bigint }[]>`
    SELECT u."id" AS "userId", u."name", COUNT(DISTINCT pl."orderId")::int AS "orders", SUM(pl."amountFen")::bigint AS "countedFen"
    FROM ${purchaseLinesAt(now)} pl
    JOIN "User" u ON u."id" = pl."userId"
    WHERE pl."unitId" = ${unitId} AND ${countedIn("pl", start, end)}
    GROUP BY u."id", u."name"
    ORDER BY "countedFen" DESC, u."name"`;
  return rows.map((row) => ({ ...row, countedFen: fen(row.countedFen) }));
}

/** The years the bureau's picker offers: from the first paid order's year (or the first target's) to next year. */
export async function purchaseYears(currentYear: number) {
  const [row] = await db.$queryRaw<{ firstPaid: Date | null; firstTarget: number | null }[]>`
    SELECT (SELECT MIN(o."paidAt") FROM "Order" o) AS "firstPaid", (SELECT MIN(t."year") FROM "UnitTarget" t) AS "firstTarget"`;
  const first = Math.min(currentYear, row?.firstPaid ? currentShopYear(row.firstPaid) : currentYear, row?.firstTarget ?? currentYear);
  return Array.from({ length: currentYear + 2 - first }, (_, i) => currentYear + 1 - i);
}

export type BureauSort = "name" | "counted" | "target" | "progress";

/**
 * The bureau's view of a year: every unit with its figures and its sub-units' rolled up, in tree order ("name") or
 * by a figure, largest first. Totals are over the top-level units' rolled-up figures, so no unit counts twice.
 */
export async function bureauYear(year: number, sort: BureauSort, now = new Date()) {
  const tree = rollUp(await unitsYear(year, now));
  const value = (row: RolledUpRow) =>
    sort === "counted"
      ? row.countedFen
      : sort === "target"
        ? (row.targetFen ?? -1)
        : (progressPercent(row.countedFen, row.targetFen) ?? -1);
  const rows = sort === "name" ? tree : [...tree].sort((a, b) => value(b) - value(a) || a.code.localeCompare(b.code));
  const roots = tree.filter((row) => row.depth === 0);
  return {
    rows,
    totals: {
      countedFen: roots.reduce((sum, row) => sum + row.rolledCountedFen, 0),
      targetFen: roots.reduce((sum, row) => sum + (row.rolledTargetFen ?? 0), 0),
      pendingFen: roots.reduce((sum, row) => sum + row.rolledPendingFen, 0),
    },
  };
}

/** The bureau's year as a spreadsheet (money in fen, shown as yuan): one row per unit, sub-units indented. */
export function bureauTable(rows: RolledUpRow[], locale: Locale): ReportTable {
  const m = catalogs[locale].purchases.bureau;
  return {
    sheet: m.sheet,
    header: [m.unit, m.members, m.target, m.counted, m.percent, m.pending, m.orders, m.buyers, m.rolledTarget, m.rolledCounted],
    rows: rows.map((row) => [
      `${"  ".repeat(row.depth)}${locale === "en" ? row.nameEn : row.name}`,
      row.memberCount ?? "",
      row.targetFen ?? "",
      row.countedFen,
      progressPercent(row.countedFen, row.targetFen) ?? "",
      row.pendingFen,
      row.orders,
      row.buyers,
      row.childCount ? (row.rolledTargetFen ?? "") : "",
      row.childCount ? row.rolledCountedFen : "",
    ]),
    moneyColumns: [2, 3, 5, 8, 9],
  };
}
