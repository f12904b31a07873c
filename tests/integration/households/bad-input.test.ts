// Every work-team action and query form answers bad input with 4xx and a message on the field, never a 500 and
// never a write: an empty form, values of the wrong type (a file where text belongs), values far too long, a body
// that is not a form, and amounts of more digits than the money column holds.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { parseMessageRef } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import { action as alertsAction } from "~/routes/team.alerts";
import { loader as dashboardLoader } from "~/routes/team.dashboard";
import { action as editAction } from "~/routes/team.households.$householdId_.edit";
import { action as flagsAction } from "~/routes/team.households.$householdId_.flags";
import { action as incomeAction } from "~/routes/team.households.$householdId_.income";
import { action as membersAction } from "~/routes/team.households.$householdId_.members";
import { loader as printLoader } from "~/routes/team.households.$householdId_.print";
import { action as lookupAction } from "~/routes/team.households._index";
import { action as newAction } from "~/routes/team.households.new";
import { loader as householdsExport } from "~/routes/team.reports.households";
import { loader as reportsPage } from "~/routes/team.reports._index";
import { loader as unitsExport } from "~/routes/team.reports.units";
import { action as settingsAction } from "~/routes/team.settings";
import { truncateAllTables } from "../../setup/reset";
import { createHousehold, createShop } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";

const THIS_YEAR = new Date().getFullYear();
let cookie: string;
let householdId: string;
let memberId: string;
let flagId: string;
let alertId: string;

beforeAll(async () => {
  await truncateAllTables();
  const shop = await createShop();
  householdId = (await createHousehold(shop.village.id)).id;
  memberId = (await db.householdMember.create({ data: { householdId, name: "赵春生", relation: "户主", ageBand: "16-59" } })).id;
  flagId = (await db.riskFlag.create({ data: { householdId, kind: "other", note: "x" } })).id;
  alertId = (await db.monitoringAlert.create({ data: { householdId, kind: "risk_flag", periodKey: `flag:${flagId}`, detail: {} } })).id;
  cookie = (await signedIn(["team"], shop.village.id)).cookie;
});

type Run = (request: Request) => Promise<unknown>;
type Form = Record<string, string>;

/** Each action with a well-formed submission of each of its forms (the hidden `intent` and row ids kept as sent). */
const actions = (): { name: string; run: Run; forms: Form[]; hidden?: string[] }[] => {
  const on = (handler: (args: ActionFunctionArgs) => Promise<unknown>) => (request: Request) =>
    handler({ request, params: { householdId }, context: {} });
  const household = { code: "AS-101", headName: "赵春生", memberCount: "4", villageGroup: "二组", status: "other", exitYear: "2019" };
  const member = { name: "赵小梅", relation: "女儿", ageBand: "6-15", schooling: "小学", idNumber: "11010519491231002X" };
  const income = { year: String(THIS_YEAR), source: "wages", amount: "12000.50", note: "务工" };
  return [
    { name: "ID look-up", run: on(lookupAction), forms: [{ idNumber: "11010519491231002X" }] },
    { name: "new household", run: on(newAction), forms: [household] },
    { name: "edit household", run: on(editAction), forms: [household] },
    {
      name: "members",
      run: on(membersAction),
      hidden: ["intent", "memberId"],
      forms: [
        { intent: "add", ...member },
        { intent: "update", memberId, ...member },
        { intent: "remove", memberId, confirm: "yes" },
      ],
    },
    {
      name: "other income",
      run: on(incomeAction),
      hidden: ["intent"],
      forms: [
        { intent: "add", ...income },
        { intent: "update", ...income },
        { intent: "delete", year: income.year, source: income.source, confirm: "yes" },
      ],
    },
    {
      name: "risk flags",
      run: on(flagsAction),
      hidden: ["intent", "flagId"],
      forms: [
        { intent: "add", kind: "illness", note: "住院" },
        { intent: "resolve", flagId },
      ],
    },
    { name: "acknowledge", run: on(alertsAction), hidden: ["alertId"], forms: [{ alertId, note: "已走访" }] },
    { name: "settings", run: on(settingsAction), forms: [{ threshold: "6000", dropShare: "30", noSalesDays: "90" }] },
  ];
};

function post(form: Record<string, string | Blob>, multipart = false) {
  if (!multipart) return routeRequest("/team/x", cookie, form as Form);
  const body = new FormData();
  for (const [name, value] of Object.entries(form)) body.append(name, value);
  return new Request("http://localhost/team/x", { method: "POST", headers: { Cookie: cookie }, body });
}

/** Every message of an answer names a message of both catalogs: no zod default text reaches the page. */
function expectFieldMessages(answer: { status: number; data?: unknown }, label: string) {
  expect([400, 422], label).toContain(answer.status);
  const errors = (answer.data as { result: { error: Record<string, string[] | null> } }).result.error;
  const messages = Object.entries(errors).flatMap(([field, list]) => (list ?? []).map((message) => ({ field, message })));
  expect(messages.length, label).toBeGreaterThan(0);
  for (const { field, message } of messages) {
    expect(field, label).not.toBe("");
    const { key } = parseMessageRef(message);
    for (const catalog of [catalogs.zh, catalogs.en]) {
      const text = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog);
      expect(typeof text, `${label}: ${message}`).toBe("string");
    }
  }
}

/** What a refused form must leave untouched. */
async function snapshot() {
  const [households, members, incomes, flags, acknowledged, settings, audits] = await Promise.all([
    db.household.findMany({ orderBy: { id: "asc" } }),
    db.householdMember.findMany({ orderBy: { id: "asc" } }),
    db.householdIncome.count(),
    db.riskFlag.findMany({ orderBy: { id: "asc" } }),
    db.monitoringAlert.count({ where: { acknowledgedAt: { not: null } } }),
    db.setting.count(),
    db.auditLog.count({ where: { action: { not: "household.file.read" } } }),
  ]);
  return { households, members, incomes, flags, acknowledged, settings, audits };
}

describe("bad input to the work team's actions", () => {
  it("answers an empty form with 400 and field messages, writing nothing", async () => {
    const before = await snapshot();
    for (const action of actions()) {
      expectFieldMessages(await outcome(() => action.run(post({}))), action.name);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers values of the wrong type (a file where text belongs) with field messages, writing nothing", async () => {
    const before = await snapshot();
    const file = new Blob(["not text"], { type: "application/octet-stream" });
    for (const action of actions()) {
      // A form of hidden fields only (resolve this flag) has nothing to get wrong this way.
      for (const form of action.forms.filter((f) => Object.keys(f).some((name) => !action.hidden?.includes(name)))) {
        const wrong = Object.fromEntries(
          Object.entries(form).map(([name, value]) => [name, action.hidden?.includes(name) ? value : file] as const),
        );
        expectFieldMessages(await outcome(() => action.run(post(wrong, true))), `${action.name} ${form.intent ?? ""}`);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers values far too long with field messages, writing nothing", async () => {
    const before = await snapshot();
    const long = "9".repeat(10_000);
    for (const action of actions()) {
      for (const form of action.forms) {
        const tooLong = Object.fromEntries(Object.entries(form).map(([name, value]) => [name, name === "intent" ? value : long]));
        expectFieldMessages(await outcome(() => action.run(post(tooLong))), `${action.name} ${form.intent ?? ""}`);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a body that is not a form with 415", async () => {
    for (const action of actions()) {
      const request = new Request("http://localhost/team/x", {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/json" },
        body: JSON.stringify(action.forms[0]),
      });
      expect((await outcome(() => action.run(request))).status, action.name).toBe(415);
    }
  });

  it.each(["123456789", "1234567890", "123456789012", "123456789.50"])(
    "refuses a yuan amount of %s (more than the money column holds) on its field",
    async (amount) => {
      const before = await snapshot();
      const run = actions();
      const income = run.find((a) => a.name === "other income")!;
      const added = await outcome(() => income.run(post({ ...income.forms[0]!, amount })));
      expectFieldMessages(added, "income");
      expect((added.data as { result: { error: Record<string, string[]> } }).result.error.amount).toEqual(["households.errors.amount"]);
      const settings = run.find((a) => a.name === "settings")!;
      const saved = await outcome(() => settings.run(post({ ...settings.forms[0]!, threshold: amount })));
      expectFieldMessages(saved, "settings");
      expect((saved.data as { result: { error: Record<string, string[]> } }).result.error.threshold).toEqual([
        "households.errors.threshold",
      ]);
      expect(await snapshot()).toEqual(before);
    },
  );
});

describe("bad queries to the work team's GET forms", () => {
  const get = (loader: (args: LoaderFunctionArgs) => Promise<unknown>, query: string, params: Record<string, string> = {}) =>
    outcome(() => loader({ request: routeRequest(`/team/x?${query}`, cookie), params, context: {} }));

  it.each([
    ["from=0001-01-01&to=0001-12-31", "from", "reports.errors.range"],
    ["from=2025-01-01&to=9999-12-31", "to", "reports.errors.range"],
    ["from=2025-01-01&from=2025-02-01&to=2025-03-01", "from", "reports.errors.date"],
    [`from=${"9".repeat(5000)}&to=2025-03-01`, "from", "reports.errors.date"],
  ])("answers the period %s with 422 and a message on %s", async (query, field, message) => {
    for (const loader of [reportsPage, householdsExport, unitsExport]) {
      const answer = await get(loader, query);
      expectFieldMessages(answer, query);
      expect(answer.status).toBe(422);
      expect((answer.data as { result: { error: Record<string, string[]> } }).result.error[field]).toEqual([message]);
    }
  });

  it("answers a download in an unknown format with a message on the format", async () => {
    const answer = await get(householdsExport, "from=2025-01-01&to=2025-03-01&format=pdf");
    expect(answer.status).toBe(422);
    expect((answer.data as { result: { error: Record<string, string[]> } }).result.error.format).toEqual(["reports.errors.format"]);
  });

  it("answers a bad dashboard or print query with 400 and field messages, opening no file", async () => {
    for (const query of ["year=abc", "year=1999", `year=${THIS_YEAR + 1}`, "sort=name", "all=yes", `year=${"9".repeat(5000)}`]) {
      expectFieldMessages(await get(dashboardLoader, query), `dashboard ${query}`);
    }
    const reads = await db.auditLog.count({ where: { action: "household.file.read" } });
    for (const query of ["year=twenty", "year=2013", `year=${THIS_YEAR + 1}`]) {
      const answer = await get(printLoader, query, { householdId });
      expect(answer.status).toBe(400);
      expect((answer.data as { result: { error: Record<string, string[]> } }).result.error.year).toEqual(["reports.errors.year"]);
    }
    expect(await db.auditLog.count({ where: { action: "household.file.read" } })).toBe(reads);
  });
});
