import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { incomePicture } from "~/domain/households/files.server";
import { action as alertsAction, loader as alertsLoader } from "~/routes/team.alerts";
import { action as flagsAction, loader as flagsLoader } from "~/routes/team.households.$householdId_.flags";
import { action as editAction } from "~/routes/team.households.$householdId_.edit";
import { action as incomeAction, loader as incomeLoader } from "~/routes/team.households.$householdId_.income";
import { action as membersAction, loader as membersLoader } from "~/routes/team.households.$householdId_.members";
import { loader as teamLoader } from "~/routes/team._index";
import { action as settingsAction, loader as settingsLoader } from "~/routes/team.settings";
import { truncateAllTables } from "../../setup/reset";
import { createHousehold, createShop } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";

const VALID_ID = "11010519491231002X";
const THIS_YEAR = new Date().getFullYear();
let shop: Awaited<ReturnType<typeof createShop>>;
let householdId: string;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
  householdId = (await createHousehold(shop.village.id)).id;
});

const cookieFor = (roles: Role[], villageId: string | null = shop.village.id) => signedIn(roles, villageId);
const request = routeRequest;
const member = { intent: "add", name: "赵小梅", relation: "女儿", ageBand: "6-15", schooling: "小学四年级", idNumber: VALID_ID };
const income = { intent: "add", year: String(THIS_YEAR), source: "wages", amount: "12000.50" };

type Answer = { data?: unknown; status: number };
const fieldErrors = (answer: Answer) => (answer.data as { result: { error: Record<string, string[]> } }).result.error;

function routes(id: string, alertId: string) {
  const on = (path: string) => ({ params: { householdId: id }, context: {}, path });
  return [
    {
      name: "members page",
      run: (cookie: string) => membersLoader({ request: request(`/team/households/${id}/members`, cookie), ...on("") }),
    },
    {
      name: "members action",
      run: (cookie: string) => membersAction({ request: request(`/team/households/${id}/members`, cookie, member), ...on("") }),
    },
    {
      name: "income page",
      run: (cookie: string) => incomeLoader({ request: request(`/team/households/${id}/income`, cookie), ...on("") }),
    },
    {
      name: "income action",
      run: (cookie: string) => incomeAction({ request: request(`/team/households/${id}/income`, cookie, income), ...on("") }),
    },
    { name: "flags page", run: (cookie: string) => flagsLoader({ request: request(`/team/households/${id}/flags`, cookie), ...on("") }) },
    {
      name: "flags action",
      run: (cookie: string) =>
        flagsAction({
          request: request(`/team/households/${id}/flags`, cookie, { intent: "add", kind: "illness", note: "住院" }),
          ...on(""),
        }),
    },
    { name: "alerts page", run: (cookie: string) => alertsLoader({ request: request("/team/alerts", cookie), params: {}, context: {} }) },
    {
      name: "acknowledge",
      run: (cookie: string) =>
        alertsAction({ request: request("/team/alerts", cookie, { alertId, note: "已走访" }), params: {}, context: {} }),
    },
    {
      name: "settings page",
      run: (cookie: string) => settingsLoader({ request: request("/team/settings", cookie), params: {}, context: {} }),
    },
    {
      name: "settings action",
      run: (cookie: string) =>
        settingsAction({
          request: request("/team/settings", cookie, { threshold: "6000", dropShare: "30", noSalesDays: "90" }),
          params: {},
          context: {},
        }),
    },
  ];
}

/** An open alert as the checks would raise it: for an unresolved risk flag, so re-running them keeps it. */
async function openAlert() {
  const flag = await db.riskFlag.create({ data: { householdId, kind: "other", note: "x" } });
  return db.monitoringAlert.create({
    data: {
      householdId,
      kind: "risk_flag",
      periodKey: `flag:${flag.id}`,
      detail: { flagKind: "other", note: "x", flaggedOn: "2026-01-01" },
    },
  });
}

describe("access to members, income, flags, alerts and settings", () => {
  it("sends signed-out visitors to sign in and refuses employees and the cooperative, writing nothing", async () => {
    const alert = await openAlert();
    const employee = await cookieFor(["employee", "organizer"]);
    const coop = await cookieFor(["coop"]);
    for (const route of routes(householdId, alert.id)) {
      expect(await outcome(() => route.run("")), route.name).toMatchObject({
        status: 302,
        location: expect.stringMatching(/^\/login\?redirectTo=/),
      });
      expect((await outcome(() => route.run(employee.cookie))).status, route.name).toBe(403);
      expect((await outcome(() => route.run(coop.cookie))).status, route.name).toBe(403);
    }
    expect(await db.householdMember.count()).toBe(0);
    expect(await db.householdIncome.count()).toBe(0);
    expect(await db.riskFlag.count()).toBe(1);
    expect(await db.setting.count()).toBe(0);
    expect(await db.monitoringAlert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ acknowledgedAt: null });
    expect(await db.auditLog.count()).toBe(0);
  });

  it("answers another village's team with 404 for the household and its alert, and lets team and admin in", async () => {
    const alert = await openAlert();
    const otherVillage = await db.village.create({ data: { name: "别村", nameEn: "Other", county: "魏县" } });
    const outsider = await cookieFor(["team"], otherVillage.id);
    const team = await cookieFor(["team"]);
    const admin = await cookieFor(["admin"], null);
    const list = routes(householdId, alert.id);
    for (const route of list.filter((r) => !r.name.startsWith("settings") && r.name !== "alerts page")) {
      expect((await outcome(() => route.run(outsider.cookie))).status, route.name).toBe(404);
    }
    const outsiderAlerts = await outcome(() =>
      alertsLoader({ request: request("/team/alerts", outsider.cookie), params: {}, context: {} }),
    );
    expect(outsiderAlerts).toMatchObject({ status: 200, data: { total: 0 } });
    expect(await db.householdMember.count()).toBe(0);
    expect(await db.monitoringAlert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ acknowledgedAt: null });
    for (const who of [team, admin]) {
      for (const route of list.filter((r) => r.name.endsWith("page")))
        expect((await outcome(() => route.run(who.cookie))).status, route.name).toBe(200);
    }
    const teamHome = await outcome(() => teamLoader({ request: request("/team", team.cookie), params: {}, context: {} }));
    expect(teamHome.data).toMatchObject({ openAlerts: 1 });
  });
});

describe("members", () => {
  const post = (cookie: string, form: Record<string, string>) =>
    outcome(() => membersAction({ request: request("/x", cookie, form), params: { householdId }, context: {} }));

  it.each([
    [{ name: "  " }, "name", "errors.required"],
    [{ ageBand: "90-99" }, "ageBand", "households.errors.ageBand"],
    [{ ageBand: "" }, "ageBand", "households.errors.ageBand"],
    [{ idNumber: "11010519491231002Y" }, "idNumber", "households.errors.idNumber"],
    [{ relation: "" }, "relation", "errors.required"],
  ])("refuses %o with a 400 field message and writes nothing", async (change, field, message) => {
    const team = await cookieFor(["team"]);
    const answer = await post(team.cookie, { ...member, ...change });
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer)[field]).toEqual([message]);
    expect(JSON.stringify(answer.data)).not.toContain(VALID_ID);
    expect(await db.householdMember.count()).toBe(0);
    expect(await db.auditLog.count({ where: { action: { startsWith: "household.member" } } })).toBe(0);
  });

  it("records members with a masked ID and keyed hash only, keeps the household size equal to the list, and audits each change", async () => {
    const team = await cookieFor(["team"]);
    expect(await post(team.cookie, member)).toMatchObject({ status: 200, data: { done: "households.done.memberAdded" } });
    // The same form sent again (a retry) records her once.
    expect(await post(team.cookie, member)).toMatchObject({ status: 200 });
    await post(team.cookie, { intent: "add", name: "赵春生", relation: "户主", ageBand: "16-59" });
    const [daughter, head] = await db.householdMember.findMany({ where: { householdId }, orderBy: { createdAt: "asc" } });
    expect(daughter).toMatchObject({
      name: "赵小梅",
      ageBand: "6-15",
      schooling: "小学四年级",
      idMasked: "110105********002X",
      idHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(daughter)).not.toContain(VALID_ID);
    // The fixture's household said 3 people; with members recorded the list counts.
    expect(await db.household.findUniqueOrThrow({ where: { id: householdId } })).toMatchObject({ memberCount: 2 });

    await post(team.cookie, { ...member, intent: "update", memberId: daughter!.id, schooling: "初中一年级", idNumber: "" });
    expect(await db.householdMember.findUniqueOrThrow({ where: { id: daughter!.id } })).toMatchObject({
      schooling: "初中一年级",
      idMasked: "110105********002X",
    });

    const unconfirmed = await post(team.cookie, { intent: "remove", memberId: head!.id });
    expect(unconfirmed.status).toBe(400);
    expect(fieldErrors(unconfirmed).confirm).toEqual(["errors.confirmRequired"]);
    expect(await db.householdMember.count()).toBe(2);
    expect(await post(team.cookie, { intent: "remove", memberId: head!.id, confirm: "yes" })).toMatchObject({
      status: 200,
      data: { done: "households.done.memberRemoved" },
    });
    // Removing her again (a retried confirmation) changes nothing.
    expect(await post(team.cookie, { intent: "remove", memberId: head!.id, confirm: "yes" })).toMatchObject({ status: 200 });
    expect(await db.household.findUniqueOrThrow({ where: { id: householdId } })).toMatchObject({ memberCount: 1 });

    const audits = await db.auditLog.findMany({
      where: { entityId: householdId, action: { startsWith: "household.member" } },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => a.action)).toEqual([
      "household.member.add",
      "household.member.add",
      "household.member.update",
      "household.member.remove",
    ]);
    expect(audits.every((a) => a.actorId === team.user.id)).toBe(true);
    expect(audits[0]!.changes).toMatchObject({
      memberId: daughter!.id,
      name: "赵小梅",
      idMasked: "110105********002X",
      memberCount: { from: 3, to: 1 },
    });
    expect(audits[2]!.changes).toEqual({ memberId: daughter!.id, schooling: { from: "小学四年级", to: "初中一年级" } });
    expect(audits[3]!.changes).toMatchObject({ memberId: head!.id, memberCount: { from: 2, to: 1 } });
    const logged = JSON.stringify(await db.auditLog.findMany({ select: { changes: true } }));
    expect(logged).not.toContain(VALID_ID);
    expect(logged).not.toContain(daughter!.idHash!);
  });

  it("divides the income by the member list, and the file form cannot set another size while members are listed", async () => {
    const team = await cookieFor(["team"]);
    await post(team.cookie, member);
    await db.householdIncome.create({ data: { householdId, year: THIS_YEAR, source: "wages", amountFen: 900_000 } });
    expect(await incomePicture(householdId, THIS_YEAR)).toMatchObject({ totalFen: 900_000, perCapitaFen: 900_000 });
    const form = { code: "AS-101", headName: "赵春生", memberCount: "5", villageGroup: "二组", status: "low_income" };
    expect(
      await outcome(() => editAction({ request: request("/x", team.cookie, form), params: { householdId }, context: {} })),
    ).toMatchObject({ status: 302 });
    expect(await db.household.findUniqueOrThrow({ where: { id: householdId } })).toMatchObject({ memberCount: 1, status: "low_income" });
  });
});

describe("other income", () => {
  const post = (cookie: string, form: Record<string, string>) =>
    outcome(() => incomeAction({ request: request("/x", cookie, form), params: { householdId }, context: {} }));

  it.each([
    [{ amount: "-5" }, "amount", "households.errors.amount"],
    [{ amount: "abc" }, "amount", "households.errors.amount"],
    [{ amount: "1.234" }, "amount", "households.errors.amount"],
    [{ amount: "" }, "amount", "households.errors.amount"],
    [{ year: "2013" }, "year", "households.errors.year"],
    [{ year: String(THIS_YEAR + 1) }, "year", "households.errors.year"],
    [{ year: "20x6" }, "year", "households.errors.year"],
    [{ source: "lottery" }, "source", "households.errors.source"],
  ])("refuses %o with a 400 field message and writes nothing", async (change, field, message) => {
    const team = await cookieFor(["team"]);
    const answer = await post(team.cookie, { ...income, ...change });
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer)[field]).toEqual([message]);
    expect(await db.householdIncome.count()).toBe(0);
    expect(await db.auditLog.count()).toBe(0);
  });

  it("adds, refuses a second entry for the same year and source, changes and deletes, audited, and the income picture sums it", async () => {
    const team = await cookieFor(["team"]);
    expect(await post(team.cookie, income)).toMatchObject({ status: 200, data: { done: "households.done.incomeAdded" } });
    await post(team.cookie, { ...income, source: "pension", amount: "3000" });
    const duplicate = await post(team.cookie, { ...income, amount: "1" });
    expect(duplicate.status).toBe(422);
    expect(fieldErrors(duplicate).source).toEqual(["households.errors.duplicateIncome"]);
    expect(await incomePicture(householdId, THIS_YEAR)).toMatchObject({ otherFen: 1_200_050 + 300_000 });

    await post(team.cookie, { ...income, intent: "update", amount: "11000", note: "外出务工" });
    // The same form sent twice (a retry) changes and audits nothing the second time.
    await post(team.cookie, { ...income, intent: "update", amount: "11000", note: "外出务工" });
    expect(await db.householdIncome.findFirstOrThrow({ where: { source: "wages" } })).toMatchObject({
      amountFen: 1_100_000,
      note: "外出务工",
    });
    const unconfirmed = await post(team.cookie, { intent: "delete", year: String(THIS_YEAR), source: "pension" });
    expect(unconfirmed.status).toBe(400);
    expect(fieldErrors(unconfirmed).confirm).toEqual(["errors.confirmRequired"]);
    expect(await post(team.cookie, { intent: "delete", year: String(THIS_YEAR), source: "pension", confirm: "yes" })).toMatchObject({
      status: 200,
      data: { done: "households.done.incomeDeleted" },
    });
    expect(await post(team.cookie, { intent: "delete", year: String(THIS_YEAR), source: "pension", confirm: "yes" })).toMatchObject({
      status: 200,
    });
    expect(await incomePicture(householdId, THIS_YEAR)).toMatchObject({ otherFen: 1_100_000 });

    const audits = await db.auditLog.findMany({ where: { entityId: householdId }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.action)).toEqual([
      "household.income.set",
      "household.income.set",
      "household.income.set",
      "household.income.delete",
    ]);
    expect(audits[2]!.changes).toEqual({
      year: THIS_YEAR,
      source: "wages",
      amountFen: { from: 1_200_050, to: 1_100_000 },
      note: { from: null, to: "外出务工" },
    });
    expect(audits[3]!.changes).toEqual({ year: THIS_YEAR, source: "pension", amountFen: { from: 300_000, to: null } });
  });
});

describe("risk flags", () => {
  it("records a flag with a kind and a note, resolves it once, and audits both", async () => {
    const team = await cookieFor(["team"]);
    const post = (form: Record<string, string>) =>
      outcome(() => flagsAction({ request: request("/x", team.cookie, form), params: { householdId }, context: {} }));
    const empty = await post({ intent: "add", kind: "illness", note: " " });
    expect(empty.status).toBe(400);
    expect(fieldErrors(empty).note).toEqual(["errors.required"]);
    expect(fieldErrors(await post({ intent: "add", kind: "flood", note: "x" })).kind).toEqual(["households.errors.flagKind"]);
    expect(await post({ intent: "add", kind: "illness", note: "户主住院" })).toMatchObject({
      status: 200,
      data: { done: "households.done.flagAdded" },
    });
    await post({ intent: "add", kind: "illness", note: "户主住院" });
    expect(await db.riskFlag.count()).toBe(1);
    const flag = await db.riskFlag.findFirstOrThrow();
    expect(flag).toMatchObject({ kind: "illness", note: "户主住院", createdById: team.user.id, resolvedAt: null });
    await post({ intent: "resolve", flagId: flag.id });
    const resolvedAt = (await db.riskFlag.findFirstOrThrow()).resolvedAt;
    expect(resolvedAt).not.toBeNull();
    await post({ intent: "resolve", flagId: flag.id });
    expect((await db.riskFlag.findFirstOrThrow()).resolvedAt).toEqual(resolvedAt);
    expect((await post({ intent: "resolve", flagId: "nope" })).status).toBe(404);
    const audits = await db.auditLog.findMany({ where: { entityId: householdId }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["household.flag.add", "household.flag.resolve"]);
  });
});

describe("monitoring settings and the alerts page", () => {
  it.each([
    [{ threshold: "0" }, "threshold", "households.errors.threshold"],
    [{ threshold: "-6000" }, "threshold", "households.errors.threshold"],
    [{ threshold: "六千" }, "threshold", "households.errors.threshold"],
    [{ dropShare: "0.5" }, "dropShare", "households.errors.dropShare"],
    [{ dropShare: "100" }, "dropShare", "households.errors.dropShare"],
    [{ noSalesDays: "3" }, "noSalesDays", "households.errors.noSalesDays"],
    [{ noSalesDays: "30.5" }, "noSalesDays", "households.errors.noSalesDays"],
  ])("refuses settings %o with a 400 field message", async (change, field, message) => {
    const team = await cookieFor(["team"]);
    const answer = await outcome(() =>
      settingsAction({
        request: request("/x", team.cookie, { threshold: "6000", dropShare: "30", noSalesDays: "90", ...change }),
        params: {},
        context: {},
      }),
    );
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer)[field]).toEqual([message]);
    expect(await db.setting.count()).toBe(0);
  });

  it("saves the settings, audited, and the alerts page checks with them, lists, filters and acknowledges with a note", async () => {
    const team = await cookieFor(["team"]);
    const saved = await outcome(() =>
      settingsAction({
        request: request("/x", team.cookie, { threshold: "6000", dropShare: "25.5", noSalesDays: "60" }),
        params: {},
        context: {},
      }),
    );
    expect(saved).toMatchObject({ status: 200, data: { done: "households.settings.saved" } });
    expect(Object.fromEntries((await db.setting.findMany()).map((s) => [s.key, s.value]))).toEqual({
      "monitoring.perCapitaThresholdFen": 600_000,
      "monitoring.incomeDropShareBp": 2_550,
      "monitoring.noSalesDays": 60,
    });
    expect((await db.auditLog.findFirstOrThrow({ where: { action: "monitoring.settings.update" } })).changes).toMatchObject({
      perCapitaThresholdFen: { from: null, to: 600_000 },
    });
    const form = await outcome(() => settingsLoader({ request: request("/x", team.cookie), params: {}, context: {} }));
    expect(form.data).toEqual({
      village: { id: shop.village.id, name: shop.village.name, nameEn: shop.village.nameEn },
      values: { threshold: "6000.00", dropShare: "25.50", noSalesDays: "60", villageId: shop.village.id },
    });

    await db.riskFlag.create({ data: { householdId, kind: "disaster", note: "冰雹" } });
    const page = (query = "") =>
      outcome(() => alertsLoader({ request: request(`/team/alerts${query}`, team.cookie), params: {}, context: {} }));
    type Page = { total: number; alerts: { id: string; kind: string; household: { id: string } }[] };
    const all = (await page()).data as Page;
    expect(all.alerts.map((a) => a.kind).sort()).toEqual(["below_threshold", "risk_flag"]);
    expect(all.alerts.every((a) => a.household.id === householdId)).toBe(true);
    const flags = (await page("?kind=risk_flag")).data as Page;
    expect(flags.alerts.map((a) => a.kind)).toEqual(["risk_flag"]);

    const noNote = await outcome(() =>
      alertsAction({
        request: request("/team/alerts?kind=risk_flag", team.cookie, { alertId: flags.alerts[0]!.id, note: "" }),
        params: {},
        context: {},
      }),
    );
    expect(noNote.status).toBe(400);
    expect(fieldErrors(noNote).note).toEqual(["errors.required"]);
    const done = await outcome(() =>
      alertsAction({
        request: request("/team/alerts?kind=risk_flag", team.cookie, { alertId: flags.alerts[0]!.id, note: "已走访，申请临时救助" }),
        params: {},
        context: {},
      }),
    );
    expect(done).toMatchObject({ status: 200, data: { done: "households.done.alertAcknowledged" } });
    expect(((await page("?kind=risk_flag")).data as Page).total).toBe(0);
    const withAcknowledged = (await page("?kind=risk_flag&acknowledged=1")).data as Page;
    expect(withAcknowledged.alerts[0]).toMatchObject({ acknowledgedBy: "测试", acknowledgeNote: "已走访，申请临时救助" });
    expect(await db.auditLog.findFirstOrThrow({ where: { action: "monitoring.alert.acknowledge" } })).toMatchObject({
      actorId: team.user.id,
      changes: { note: "已走访，申请临时救助", kind: "risk_flag" },
    });
  });
});
