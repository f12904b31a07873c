// 防返贫监测: the checks that raise monitoring alerts on households, and the settings they read. Each check is one
// aggregate SQL statement over the whole village that upserts its alerts (unique per household, kind and period,
// so a re-run never duplicates and never touches an acknowledgement) and deletes the unacknowledged alerts of the
// same period that no longer hold, so the open list is what is true now. Cheap enough to run whenever the team
// opens the alerts page.
import { db, Prisma } from "~/db/client.server";
import type { AlertKind } from "~/db/generated/client";
import { pageCount, pageRows } from "~/domain/pages";
import { shopDateOf, shopYearStart } from "~/utils/dates";
import { shopLocal } from "~/utils/dates.server";
import { recordAudit } from "~/domain/audit.server";
import { notFound } from "~/domain/errors";
import { viewerVillageId, villageScope, type Viewer } from "./scope.server";

const SETTING_KEYS = {
  perCapitaThresholdFen: "monitoring.perCapitaThresholdFen",
  incomeDropShareBp: "monitoring.incomeDropShareBp",
  noSalesDays: "monitoring.noSalesDays",
} as const;

export type MonitoringSettings = { perCapitaThresholdFen: number | null; incomeDropShareBp: number; noSalesDays: number };

const DEFAULTS = { incomeDropShareBp: 3_000, noSalesDays: 90 };

const positiveInteger = (value: unknown) => (typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : null);

/** A village's monitoring settings; without a threshold nobody is below it, the others fall back to 30% and 90 days. */
export async function monitoringSettings(villageId: string): Promise<MonitoringSettings> {
  const rows = await db.setting.findMany({
    where: { villageId, key: { in: Object.values(SETTING_KEYS) } },
    select: { key: true, value: true },
  });
  const value = (key: string) => positiveInteger(rows.find((row) => row.key === key)?.value);
  return {
    perCapitaThresholdFen: value(SETTING_KEYS.perCapitaThresholdFen),
    incomeDropShareBp: value(SETTING_KEYS.incomeDropShareBp) ?? DEFAULTS.incomeDropShareBp,
    noSalesDays: value(SETTING_KEYS.noSalesDays) ?? DEFAULTS.noSalesDays,
  };
}

/**
 * The village whose settings `viewer` reads and writes: a team member's own; an admin names one (they serve every
 * village), the first by name when they do not. A team member naming another village, or an unknown one, gets 404.
 */
export async function settingsVillage(viewer: Viewer, villageId?: string | null) {
  const own = viewerVillageId(viewer);
  if (own !== null && villageId && villageId !== own) throw notFound();
  const select = { id: true, name: true, nameEn: true };
  const village = await ((own ?? villageId)
    ? db.village.findUnique({ where: { id: (own ?? villageId)! }, select })
    : db.village.findFirst({ orderBy: { name: "asc" }, select }));
  if (!village) throw notFound();
  return village;
}

/** Saves a village's settings and audits what changed. */
export async function saveMonitoringSettings(
  viewer: Viewer,
  villageId: string,
  next: { perCapitaThresholdFen: number; incomeDropShareBp: number; noSalesDays: number },
) {
  const village = await settingsVillage(viewer, villageId);
  return db.$transaction(async (tx) => {
    const before = await tx.setting.findMany({
      where: { villageId: village.id, key: { in: Object.values(SETTING_KEYS) } },
      select: { key: true, value: true },
    });
    const changes: Record<string, { from: unknown; to: number }> = {};
    for (const [name, key] of Object.entries(SETTING_KEYS) as [keyof typeof SETTING_KEYS, string][]) {
      const previous = before.find((row) => row.key === key)?.value ?? null;
      if (previous === next[name]) continue;
      changes[name] = { from: previous, to: next[name] };
      await tx.setting.upsert({
        where: { villageId_key: { villageId: village.id, key } },
        create: { villageId: village.id, key, value: next[name], updatedById: viewer.id },
        update: { value: next[name], updatedById: viewer.id },
      });
    }
    if (Object.keys(changes).length)
      await recordAudit(tx, {
        actorId: viewer.id,
        action: "monitoring.settings.update",
        entityType: "Setting",
        entityId: village.id,
        changes: changes as Prisma.InputJsonValue,
      });
    return { changed: Object.keys(changes) };
  });
}

const DAY = 24 * 60 * 60 * 1000;

/** LedgerEntry.occurredAt is a timestamp without time zone holding UTC, so bounds are compared as UTC wall time. */
const utcWallTime = (instant: Date) => instant.toISOString().slice(0, 23).replace("T", " ");

const shiftOneYearBack = (instant: Date) => {
  const shifted = new Date(instant);
  shifted.setUTCFullYear(shifted.getUTCFullYear() - 1);
  return shifted;
};

const NO_HITS = Prisma.sql`hits AS (SELECT NULL::text AS "householdId", NULL::text AS "periodKey", NULL::jsonb AS "detail" WHERE FALSE)`;

/**
 * One check's write: `ctes` define `scope` (the households checked, by "id") and `hits` ("householdId",
 * "periodKey", "detail"). Hits are upserted on the unique key, refreshing the figures of open alerts; an
 * acknowledged one keeps the figures its note answered. The scope's unacknowledged alerts of this kind (and period, when given) that are no longer hits
 * are deleted. One statement, so both halves see the same snapshot.
 */
async function raiseAlerts(tx: Prisma.TransactionClient, kind: AlertKind, period: string | null, ctes: Prisma.Sql) {
  await tx.$executeRaw`
    WITH ${ctes}, upserted AS (
      INSERT INTO "MonitoringAlert" ("id", "householdId", "kind", "periodKey", "detail")
      SELECT gen_random_uuid()::text, "householdId", ${kind}::"AlertKind", "periodKey", "detail" FROM hits
      ON CONFLICT ("householdId", "kind", "periodKey") DO UPDATE SET "detail" = EXCLUDED."detail"
        WHERE "MonitoringAlert"."acknowledgedAt" IS NULL
    )
    DELETE FROM "MonitoringAlert" a USING scope s
    WHERE a."householdId" = s."id" AND a."kind" = ${kind}::"AlertKind" AND a."acknowledgedAt" IS NULL
      AND (${period}::text IS NULL OR a."periodKey" = ${period})
      AND (a."householdId", a."periodKey") NOT IN (SELECT "householdId", "periodKey" FROM hits)`;
}

export type MonitoringRun = { year: number; checkedAt: Date; villages: number };

/**
 * Runs the four checks for the viewer's village(s) and a year, as of `now`:
 * - below_threshold (period = the year): the year's consumption-assistance income (credits less reversals) plus
 *   the other income recorded for the year, per member, is below the threshold. For the current year that is the
 *   income so far, as the household file shows it.
 * - income_drop (period = the year): that income fell by more than the configured share against the previous
 *   year, comparing the same stretch of both years (1 January up to today's date) so the current year is not
 *   measured against a whole year; other income is recorded per year and counts in full on both sides.
 *   Households without income last year are not compared.
 * - no_recent_sales (period = the day of the last sale, or "never"): a household that delivered stock lots at
 *   least the window ago has had no sale credited within the window (default 90 days). A household that sells
 *   again and then stops raises a new alert; one that only just delivered its first lot is not flagged.
 * - risk_flag (period = the flag): every unresolved risk flag; resolving the flag clears its open alert.
 */
export async function runMonitoringChecks(viewer: Viewer, year: number, now = new Date()): Promise<MonitoringRun> {
  const own = viewerVillageId(viewer);
  // Each village is checked against its own settings.
  const villages = own === null ? (await db.village.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((v) => v.id) : [own];
  for (const village of villages) await checkVillage(village, year, now);
  return { year, checkedAt: now, villages: villages.length };
}

async function checkVillage(village: string, year: number, now: Date) {
  const settings = await monitoringSettings(village);
  const currentEnd = new Date(Math.min(now.getTime(), shopYearStart(year + 1).getTime()));
  const previousEnd = new Date(Math.min(shiftOneYearBack(currentEnd).getTime(), shopYearStart(year).getTime()));
  const bounds = {
    start: utcWallTime(shopYearStart(year)),
    end: utcWallTime(currentEnd),
    previousStart: utcWallTime(shopYearStart(year - 1)),
    previousEnd: utcWallTime(previousEnd),
  };
  const salesSince = utcWallTime(new Date(now.getTime() - settings.noSalesDays * DAY));
  const lotsBefore = shopDateOf(new Date(now.getTime() - settings.noSalesDays * DAY));
  const period = String(year);

  const scope = Prisma.sql`scope AS (SELECT h."id" FROM "Household" h WHERE h."villageId" = ${village})`;

  await db.$transaction(async (tx) => {
    // Two people opening the alerts page at once would otherwise upsert the same rows in different orders.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('monitoring-checks'))`;

    const threshold = settings.perCapitaThresholdFen;
    await raiseAlerts(
      tx,
      "below_threshold",
      period,
      threshold === null
        ? Prisma.sql`${scope}, ${NO_HITS}`
        : Prisma.sql`
      ${scope}, assistance AS (
        SELECT e."householdId", SUM(e."amountFen") AS "fen" FROM "LedgerEntry" e JOIN scope s ON s."id" = e."householdId"
        WHERE e."kind" IN ('sale_credit', 'sale_reversal') AND e."occurredAt" >= ${bounds.start}::timestamp AND e."occurredAt" < ${bounds.end}::timestamp
        GROUP BY 1
      ), other AS (
        SELECT i."householdId", SUM(i."amountFen") AS "fen" FROM "HouseholdIncome" i JOIN scope s ON s."id" = i."householdId"
        WHERE i."year" = ${year} GROUP BY 1
      ), totals AS (
        SELECT s."id", GREATEST(h."memberCount", 1) AS "members", COALESCE(a."fen", 0) + COALESCE(o."fen", 0) AS "totalFen"
        FROM scope s JOIN "Household" h ON h."id" = s."id"
        LEFT JOIN assistance a ON a."householdId" = s."id" LEFT JOIN other o ON o."householdId" = s."id"
      ), hits AS (
        SELECT "id" AS "householdId", ${period}::text AS "periodKey",
          jsonb_build_object('year', ${year}::int, 'totalFen', "totalFen", 'members', "members",
            'perCapitaFen', FLOOR("totalFen"::numeric / "members")::bigint, 'thresholdFen', ${threshold}::bigint) AS "detail"
        FROM totals WHERE "totalFen" < ${threshold}::bigint * "members"
      )`,
    );

    await raiseAlerts(
      tx,
      "income_drop",
      period,
      Prisma.sql`
      ${scope}, assistance AS (
        SELECT e."householdId",
          SUM(e."amountFen") FILTER (WHERE e."occurredAt" >= ${bounds.start}::timestamp) AS "currentFen",
          SUM(e."amountFen") FILTER (WHERE e."occurredAt" < ${bounds.previousEnd}::timestamp) AS "previousFen"
        FROM "LedgerEntry" e JOIN scope s ON s."id" = e."householdId"
        WHERE e."kind" IN ('sale_credit', 'sale_reversal') AND e."occurredAt" >= ${bounds.previousStart}::timestamp AND e."occurredAt" < ${bounds.end}::timestamp
          AND (e."occurredAt" >= ${bounds.start}::timestamp OR e."occurredAt" < ${bounds.previousEnd}::timestamp)
        GROUP BY 1
      ), other AS (
        SELECT i."householdId",
          SUM(i."amountFen") FILTER (WHERE i."year" = ${year}) AS "currentFen",
          SUM(i."amountFen") FILTER (WHERE i."year" = ${year - 1}) AS "previousFen"
        FROM "HouseholdIncome" i JOIN scope s ON s."id" = i."householdId"
        WHERE i."year" IN (${year}, ${year - 1}) GROUP BY 1
      ), totals AS (
        SELECT s."id",
          COALESCE(a."currentFen", 0) + COALESCE(o."currentFen", 0) AS "currentFen",
          COALESCE(a."previousFen", 0) + COALESCE(o."previousFen", 0) AS "previousFen"
        FROM scope s LEFT JOIN assistance a ON a."householdId" = s."id" LEFT JOIN other o ON o."householdId" = s."id"
      ), hits AS (
        SELECT "id" AS "householdId", ${period}::text AS "periodKey",
          jsonb_build_object('year', ${year}::int, 'currentFen', "currentFen", 'previousFen', "previousFen",
            'dropBp', FLOOR(("previousFen" - "currentFen")::numeric * 10000 / "previousFen")::bigint, 'shareBp', ${settings.incomeDropShareBp}::int,
            'until', ${shopDateOf(new Date(currentEnd.getTime() - 1))}::text) AS "detail"
        FROM totals
        WHERE "previousFen" > 0 AND ("previousFen" - "currentFen") * 10000 > ${settings.incomeDropShareBp}::bigint * "previousFen"
      )`,
    );

    await raiseAlerts(
      tx,
      "no_recent_sales",
      null,
      Prisma.sql`
      ${scope}, producers AS (
        SELECT DISTINCT l."householdId" AS "id" FROM "StockLot" l JOIN scope s ON s."id" = l."householdId"
        WHERE l."receivedOn" <= ${lotsBefore}::date
      ), last_sales AS (
        SELECT e."householdId", to_char(${shopLocal(Prisma.sql`MAX(e."occurredAt")`)}, 'YYYY-MM-DD') AS "lastSaleOn",
          MAX(e."occurredAt") AS "lastSaleAt"
        FROM "LedgerEntry" e JOIN producers p ON p."id" = e."householdId"
        WHERE e."kind" = 'sale_credit' GROUP BY 1
      ), hits AS (
        SELECT p."id" AS "householdId", COALESCE(ls."lastSaleOn", 'never') AS "periodKey",
          jsonb_build_object('days', ${settings.noSalesDays}::int, 'lastSaleOn', ls."lastSaleOn") AS "detail"
        FROM producers p LEFT JOIN last_sales ls ON ls."householdId" = p."id"
        WHERE ls."lastSaleAt" IS NULL OR ls."lastSaleAt" < ${salesSince}::timestamp
      )`,
    );

    await raiseAlerts(
      tx,
      "risk_flag",
      null,
      Prisma.sql`
      ${scope}, hits AS (
        SELECT f."householdId", 'flag:' || f."id" AS "periodKey",
          jsonb_build_object('flagId', f."id", 'flagKind', f."kind"::text, 'note', f."note",
            'flaggedOn', to_char(${shopLocal(Prisma.sql`f."createdAt"`)}, 'YYYY-MM-DD')) AS "detail"
        FROM "RiskFlag" f JOIN scope s ON s."id" = f."householdId"
        WHERE f."resolvedAt" IS NULL
      )`,
    );
  });
}

export const ALERTS_PAGE_SIZE = 25;

/** The alerts of the viewer's village(s), open ones first by default; with `acknowledged` the acknowledged too. */
export async function listAlerts(viewer: Viewer, { kind, acknowledged, page }: { kind?: AlertKind; acknowledged: boolean; page: number }) {
  const where: Prisma.MonitoringAlertWhereInput = {
    household: villageScope(viewer),
    ...(kind ? { kind } : {}),
    ...(acknowledged ? {} : { acknowledgedAt: null }),
  };
  const [total, alerts] = await Promise.all([
    db.monitoringAlert.count({ where }),
    db.monitoringAlert.findMany({
      where,
      orderBy: [{ acknowledgedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }, { id: "asc" }],
      ...pageRows(page, ALERTS_PAGE_SIZE),
      select: {
        id: true,
        kind: true,
        detail: true,
        acknowledgedAt: true,
        acknowledgeNote: true,
        acknowledgedById: true,
        household: { select: { id: true, code: true, headName: true } },
      },
    }),
  ]);
  // MonitoringAlert keeps the acknowledging user's id without a relation, so their names come in one more query.
  const ackerIds = [...new Set(alerts.flatMap((a) => (a.acknowledgedById ? [a.acknowledgedById] : [])))];
  const ackers = ackerIds.length ? await db.user.findMany({ where: { id: { in: ackerIds } }, select: { id: true, name: true } }) : [];
  const nameOf = new Map(ackers.map((u) => [u.id, u.name]));
  return {
    total,
    pages: pageCount(total, ALERTS_PAGE_SIZE),
    alerts: alerts.map(({ acknowledgedById, ...alert }) => ({
      ...alert,
      acknowledgedBy: acknowledgedById ? (nameOf.get(acknowledgedById) ?? null) : null,
    })),
  };
}

export async function countOpenAlerts(viewer: Viewer) {
  return db.monitoringAlert.count({ where: { household: villageScope(viewer), acknowledgedAt: null } });
}

/**
 * Acknowledges an alert with the team member's note, audited. Acknowledging it again keeps the first
 * acknowledgement (a retried form). An alert outside the viewer's village is not found.
 */
export async function acknowledgeAlert(viewer: Viewer, alertId: string, note: string, now = new Date()) {
  return db.$transaction(async (tx) => {
    const alert = await tx.monitoringAlert.findFirst({
      where: { id: alertId, household: villageScope(viewer) },
      select: { id: true, householdId: true, kind: true, periodKey: true },
    });
    if (!alert) throw notFound();
    const updated = await tx.monitoringAlert.updateMany({
      where: { id: alertId, acknowledgedAt: null },
      data: { acknowledgedAt: now, acknowledgedById: viewer.id, acknowledgeNote: note },
    });
    if (updated.count === 0) return { acknowledged: false };
    await recordAudit(tx, {
      actorId: viewer.id,
      action: "monitoring.alert.acknowledge",
      entityType: "MonitoringAlert",
      entityId: alert.id,
      changes: { householdId: alert.householdId, kind: alert.kind, periodKey: alert.periodKey, note },
    });
    return { acknowledged: true };
  });
}
