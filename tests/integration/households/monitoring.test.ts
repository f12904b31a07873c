import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import type { AlertKind } from "~/db/generated/client";
import { incomePicture } from "~/domain/households/files.server";
import { acknowledgeAlert, listAlerts, runMonitoringChecks } from "~/domain/households/monitoring.server";
import { truncateAllTables } from "../../setup/reset";
import { createShop } from "../fixtures";

const DAY = 24 * 60 * 60 * 1000;
// 30 June 2026, noon in Anshang.
const NOW = new Date("2026-06-30T04:00:00Z");
const team = { id: "", roles: ["team"], villageId: "" };
let shop: Awaited<ReturnType<typeof createShop>>;
let seq = 0;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
  const user = await db.user.create({
    data: {
      name: "工作队",
      email: `${randomUUID()}@t.example`,
      passwordHash: "x",
      villageId: shop.village.id,
      roles: { create: [{ role: "team" }] },
    },
  });
  Object.assign(team, { id: user.id, villageId: shop.village.id });
  await db.setting.createMany({
    data: [
      { villageId: shop.village.id, key: "monitoring.perCapitaThresholdFen", value: 600_000 },
      { villageId: shop.village.id, key: "monitoring.incomeDropShareBp", value: 3_000 },
      { villageId: shop.village.id, key: "monitoring.noSalesDays", value: 90 },
    ],
  });
});

async function household(memberCount = 2, villageId = shop.village.id) {
  seq++;
  return db.household.create({
    data: { villageId, code: `AS-${seq}`, headName: `户主${seq}`, memberCount, villageGroup: "一组", status: "registered_poor" },
  });
}

async function credit(householdId: string, amountFen: number, occurredAt: Date, kind: "sale_credit" | "sale_reversal" = "sale_credit") {
  await db.ledgerEntry.create({
    data: { entryKey: randomUUID(), kind, householdId, cooperativeId: shop.cooperative.id, amountFen, occurredAt },
  });
}

async function otherIncome(householdId: string, year: number, amountFen: number, source: "wages" | "pension" = "wages") {
  await db.householdIncome.create({ data: { householdId, year, source, amountFen } });
}

async function lot(householdId: string, receivedDaysAgo: number) {
  const receivedOn = new Date(NOW.getTime() - receivedDaysAgo * DAY);
  await db.stockLot.create({
    data: {
      code: randomUUID(),
      traceCode: randomUUID(),
      skuId: shop.sku.id,
      householdId,
      quantityReceived: 5,
      producedOn: receivedOn,
      receivedOn,
      bestBefore: new Date(receivedOn.getTime() + 30 * DAY),
    },
  });
}

const alertsOf = (kind: AlertKind) => db.monitoringAlert.findMany({ where: { kind }, orderBy: { householdId: "asc" } });

describe("below the threshold", () => {
  it("alerts when the year's income per member is below the threshold, not when it equals it", async () => {
    const at = await household(2);
    const below = await household(2);
    // ¥12,000 for two is ¥6,000 each: exactly the threshold.
    await credit(at.id, 200_000, new Date("2026-03-01T02:00:00Z"));
    await otherIncome(at.id, 2026, 1_000_000);
    await credit(below.id, 200_000, new Date("2026-03-01T02:00:00Z"));
    await credit(below.id, -1, new Date("2026-03-02T02:00:00Z"), "sale_reversal");
    await otherIncome(below.id, 2026, 1_000_000);
    // Last year's income and next year's do not count.
    await otherIncome(below.id, 2025, 5_000_000, "pension");
    await runMonitoringChecks(team, 2026, NOW);
    const alerts = await alertsOf("below_threshold");
    expect(alerts.map((a) => a.householdId)).toEqual([below.id]);
    expect(alerts[0]).toMatchObject({
      periodKey: "2026",
      detail: { year: 2026, totalFen: 1_199_999, members: 2, perCapitaFen: 599_999, thresholdFen: 600_000 },
    });

    // Open alerts follow the figures; an acknowledged one keeps those its note answered.
    await credit(below.id, -99_999, new Date("2026-04-01T02:00:00Z"), "sale_reversal");
    await runMonitoringChecks(team, 2026, NOW);
    expect((await alertsOf("below_threshold"))[0]?.detail).toMatchObject({ totalFen: 1_100_000, perCapitaFen: 550_000 });
    await acknowledgeAlert(team, alerts[0]!.id, "已上报乡镇");
    await credit(below.id, -100_000, new Date("2026-04-02T02:00:00Z"), "sale_reversal");
    await runMonitoringChecks(team, 2026, NOW);
    expect((await alertsOf("below_threshold"))[0]).toMatchObject({
      id: alerts[0]!.id,
      acknowledgeNote: "已上报乡镇",
      detail: { totalFen: 1_100_000 },
    });
  });

  it("counts a sale made just after midnight on 1 January in Anshang in the new year", async () => {
    const h = await household(1);
    await credit(h.id, 50_000, new Date("2025-12-31T16:30:00Z"));
    await runMonitoringChecks(team, 2025, NOW);
    expect((await alertsOf("below_threshold"))[0]?.detail).toMatchObject({ year: 2025, totalFen: 0 });
    expect(await incomePicture(h.id, 2026)).toMatchObject({ assistanceFen: 50_000 });
    expect(await incomePicture(h.id, 2025)).toMatchObject({ assistanceFen: 0 });
  });

  it("raises nothing without a threshold, and closes the open alerts when the threshold is removed", async () => {
    await household(2);
    await runMonitoringChecks(team, 2026, NOW);
    expect(await alertsOf("below_threshold")).toHaveLength(1);
    await db.setting.delete({ where: { villageId_key: { villageId: shop.village.id, key: "monitoring.perCapitaThresholdFen" } } });
    await runMonitoringChecks(team, 2026, NOW);
    expect(await alertsOf("below_threshold")).toEqual([]);
  });
});

describe("income drop", () => {
  it("alerts when income fell by more than the share against last year, not by exactly the share", async () => {
    const exactly = await household();
    const more = await household();
    const noHistory = await household();
    await otherIncome(exactly.id, 2025, 100_000);
    await otherIncome(exactly.id, 2026, 70_000);
    await otherIncome(more.id, 2025, 100_000);
    await otherIncome(more.id, 2026, 69_999);
    await otherIncome(noHistory.id, 2026, 0);
    await runMonitoringChecks(team, 2026, NOW);
    const alerts = await alertsOf("income_drop");
    expect(alerts.map((a) => a.householdId)).toEqual([more.id]);
    expect(alerts[0]).toMatchObject({
      periodKey: "2026",
      detail: { currentFen: 69_999, previousFen: 100_000, dropBp: 3_000, shareBp: 3_000, until: "2026-06-30" },
    });
  });

  it("compares sales over the same stretch of both years", async () => {
    const h = await household();
    await credit(h.id, 100_000, new Date("2025-05-01T02:00:00Z"));
    // After 30 June last year: not comparable with a year that has only reached 30 June.
    await credit(h.id, 900_000, new Date("2025-09-01T02:00:00Z"));
    await credit(h.id, 80_000, new Date("2026-05-01T02:00:00Z"));
    await runMonitoringChecks(team, 2026, NOW);
    expect(await alertsOf("income_drop")).toEqual([]);
    await credit(h.id, -20_000, new Date("2026-06-01T02:00:00Z"), "sale_reversal");
    await runMonitoringChecks(team, 2026, NOW);
    expect((await alertsOf("income_drop")).map((a) => a.detail)).toEqual([
      expect.objectContaining({ currentFen: 60_000, previousFen: 100_000, dropBp: 4_000 }),
    ]);
  });
});

describe("no recent sales", () => {
  it("alerts on producing households without a sale credited within the window, at the boundary", async () => {
    const recent = await household();
    const stale = await household();
    const never = await household();
    const newcomer = await household();
    const notProducing = await household();
    for (const h of [recent, stale, never]) await lot(h.id, 120);
    await lot(newcomer.id, 10);
    await credit(recent.id, 1_000, new Date(NOW.getTime() - 90 * DAY + 60_000));
    await credit(stale.id, 1_000, new Date(NOW.getTime() - 90 * DAY - 60_000));
    await credit(notProducing.id, 1_000, new Date(NOW.getTime() - 200 * DAY));
    await runMonitoringChecks(team, 2026, NOW);
    const alerts = await alertsOf("no_recent_sales");
    expect(alerts.map((a) => [a.householdId, a.periodKey]).sort()).toEqual(
      [
        [stale.id, "2026-04-01"],
        [never.id, "never"],
      ].sort(),
    );
    expect(alerts.find((a) => a.householdId === stale.id)?.detail).toEqual({ days: 90, lastSaleOn: "2026-04-01" });
  });

  it("raises a new alert when a household sells again and then stops, and clears the open one when it sells", async () => {
    const h = await household();
    await lot(h.id, 300);
    await credit(h.id, 1_000, new Date(NOW.getTime() - 200 * DAY));
    await runMonitoringChecks(team, 2026, NOW);
    const [first] = await alertsOf("no_recent_sales");
    await acknowledgeAlert(team, first!.id, "已联系合作社");
    await credit(h.id, 1_000, new Date(NOW.getTime() - DAY));
    await runMonitoringChecks(team, 2026, NOW);
    expect((await alertsOf("no_recent_sales")).map((a) => a.id)).toEqual([first!.id]);
    const later = new Date(NOW.getTime() + 100 * DAY);
    await runMonitoringChecks(team, 2026, later);
    const alerts = await alertsOf("no_recent_sales");
    expect(alerts).toHaveLength(2);
    expect(alerts.find((a) => a.id !== first!.id)).toMatchObject({ periodKey: "2026-06-29", acknowledgedAt: null });
  });
});

describe("risk flags", () => {
  it("alerts on every unresolved flag and drops the open alert once the flag is resolved", async () => {
    const h = await household();
    const open = await db.riskFlag.create({ data: { householdId: h.id, kind: "illness", note: "户主住院" } });
    await db.riskFlag.create({ data: { householdId: h.id, kind: "disaster", note: "冰雹", resolvedAt: new Date() } });
    await runMonitoringChecks(team, 2026, NOW);
    const alerts = await alertsOf("risk_flag");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ periodKey: `flag:${open.id}`, detail: { flagId: open.id, flagKind: "illness", note: "户主住院" } });
    await db.riskFlag.update({ where: { id: open.id }, data: { resolvedAt: new Date() } });
    await runMonitoringChecks(team, 2026, NOW);
    expect(await alertsOf("risk_flag")).toEqual([]);
  });
});

describe("re-running the checks", () => {
  it("changes nothing the second time, and an acknowledgement survives re-runs even after the cause is gone", async () => {
    const poor = await household(3);
    const other = await household(1);
    await lot(other.id, 120);
    await db.riskFlag.create({ data: { householdId: poor.id, kind: "schooling", note: "两个孩子上大学" } });
    await runMonitoringChecks(team, 2026, NOW);
    const first = await db.monitoringAlert.findMany({ orderBy: { id: "asc" } });
    expect(first.map((a) => a.kind).sort()).toEqual(["below_threshold", "below_threshold", "no_recent_sales", "risk_flag"]);
    await runMonitoringChecks(team, 2026, NOW);
    expect(await db.monitoringAlert.findMany({ orderBy: { id: "asc" } })).toEqual(first);

    const belowThreshold = first.find((a) => a.householdId === poor.id && a.kind === "below_threshold")!;
    expect(await acknowledgeAlert(team, belowThreshold.id, "已申请低保")).toEqual({ acknowledged: true });
    expect(await acknowledgeAlert(team, belowThreshold.id, "第二次")).toEqual({ acknowledged: false });
    await otherIncome(poor.id, 2026, 10_000_000);
    await otherIncome(other.id, 2026, 10_000_000);
    await runMonitoringChecks(team, 2026, NOW);
    const after = await db.monitoringAlert.findMany({ where: { kind: "below_threshold" } });
    expect(after).toEqual([expect.objectContaining({ id: belowThreshold.id, acknowledgedById: team.id, acknowledgeNote: "已申请低保" })]);
    expect(await db.auditLog.count({ where: { action: "monitoring.alert.acknowledge", entityId: belowThreshold.id } })).toBe(1);

    const listed = await listAlerts(team, { acknowledged: true, page: 1 });
    expect(listed.alerts.find((a) => a.id === belowThreshold.id)).toMatchObject({
      acknowledgedBy: "工作队",
      acknowledgeNote: "已申请低保",
    });
    expect((await listAlerts(team, { acknowledged: false, page: 1 })).alerts.map((a) => a.kind).sort()).toEqual([
      "no_recent_sales",
      "risk_flag",
    ]);
  });

  it("checks only the viewer's village, all 300 households of it in one run", async () => {
    const otherVillage = await db.village.create({ data: { name: "别村", nameEn: "Other", county: "魏县" } });
    await household(2, otherVillage.id);
    await db.household.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({
        villageId: shop.village.id,
        code: `AS-9${i}`,
        headName: "户主",
        memberCount: 3,
        villageGroup: "一组",
        status: "other" as const,
      })),
    });
    const started = performance.now();
    await runMonitoringChecks(team, 2026, NOW);
    console.info(`monitoring checks over 300 households: ${(performance.now() - started).toFixed(0)} ms`);
    expect(await db.monitoringAlert.count()).toBe(300);
    expect(await db.monitoringAlert.count({ where: { household: { villageId: otherVillage.id } } })).toBe(0);
  });
});
