import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { action as listAction, loader as listLoader } from "~/routes/team.households._index";
import { loader as fileLoader } from "~/routes/team.households.$householdId";
import { action as editAction, loader as editLoader } from "~/routes/team.households.$householdId_.edit";
import { action as newAction, loader as newLoader } from "~/routes/team.households.new";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop, deliveryOrderInput, placePaidOrder } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";

const VALID_ID = "11010519491231002X";
let shop: Awaited<ReturnType<typeof createShop>>;
let householdId: string;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
  householdId = (await createLot(shop, 10)).householdId;
});

const cookieFor = (roles: Role[], villageId: string | null = shop.village.id) => signedIn(roles, villageId);
const request = routeRequest;

const form = {
  code: "AS-101",
  headName: "赵春生",
  memberCount: "4",
  villageGroup: "二组",
  status: "registered_poor",
  exitYear: "2019",
  headIdNumber: VALID_ID,
  phone: "13912345678",
  consentToDisplay: "on",
  displayName: "赵家",
};

describe("access to household files", () => {
  const routes = (id: string) => [
    { name: "list", run: (cookie: string) => listLoader({ request: request("/team/households", cookie), params: {}, context: {} }) },
    {
      name: "lookup",
      run: (cookie: string) =>
        listAction({ request: request("/team/households", cookie, { idNumber: VALID_ID }), params: {}, context: {} }),
    },
    {
      name: "file",
      run: (cookie: string) => fileLoader({ request: request(`/team/households/${id}`, cookie), params: { householdId: id }, context: {} }),
    },
    {
      name: "edit form",
      run: (cookie: string) =>
        editLoader({ request: request(`/team/households/${id}/edit`, cookie), params: { householdId: id }, context: {} }),
    },
    {
      name: "edit",
      run: (cookie: string) =>
        editAction({ request: request(`/team/households/${id}/edit`, cookie, form), params: { householdId: id }, context: {} }),
    },
    { name: "new form", run: (cookie: string) => newLoader({ request: request("/team/households/new", cookie), params: {}, context: {} }) },
    {
      name: "new",
      run: (cookie: string) => newAction({ request: request("/team/households/new", cookie, form), params: {}, context: {} }),
    },
  ];

  it("sends signed-out visitors to sign in and refuses employees and the cooperative on every route", async () => {
    const employee = await cookieFor(["employee", "organizer"]);
    const coop = await cookieFor(["coop"]);
    for (const route of routes(householdId)) {
      expect(await outcome(() => route.run("")), route.name).toMatchObject({
        status: 302,
        location: expect.stringMatching(/^\/login\?redirectTo=/),
      });
      expect((await outcome(() => route.run(employee.cookie))).status, route.name).toBe(403);
      expect((await outcome(() => route.run(coop.cookie))).status, route.name).toBe(403);
    }
    expect(await db.household.count()).toBe(1);
    expect(await db.auditLog.count()).toBe(0);
  });

  it("hides another village's households from its team (404), but not from an admin", async () => {
    const otherVillage = await db.village.create({ data: { name: "别村", nameEn: "Other", county: "魏县" } });
    const outsider = await cookieFor(["team"], otherVillage.id);
    const admin = await cookieFor(["admin"], null);
    expect(
      (await outcome(() => fileLoader({ request: request("/x", outsider.cookie), params: { householdId }, context: {} }))).status,
    ).toBe(404);
    expect(
      (await outcome(() => editAction({ request: request("/x", outsider.cookie, form), params: { householdId }, context: {} }))).status,
    ).toBe(404);
    expect((await outcome(() => fileLoader({ request: request("/x", admin.cookie), params: { householdId }, context: {} }))).status).toBe(
      200,
    );
    const list = await outcome(() => listLoader({ request: request("/team/households", outsider.cookie), params: {}, context: {} }));
    expect((list.data as { total: number }).total).toBe(0);
  });
});

describe("the household file", () => {
  it("records every opening of a full file in the audit log", async () => {
    const team = await cookieFor(["team"]);
    await fileLoader({ request: request("/x", team.cookie), params: { householdId }, context: { clientIp: "198.51.100.4" } });
    expect(await db.auditLog.findFirstOrThrow()).toMatchObject({
      actorId: team.user.id,
      action: "household.file.read",
      entityId: householdId,
      ip: "198.51.100.4",
    });
  });

  it("keeps only a masked ID and a keyed hash, audits what changed, and finds the household by its ID number", async () => {
    const team = await cookieFor(["team"]);
    const saved = await outcome(() => editAction({ request: request("/x", team.cookie, form), params: { householdId }, context: {} }));
    expect(saved).toMatchObject({ status: 302, location: `/team/households/${householdId}` });
    const household = await db.household.findUniqueOrThrow({ where: { id: householdId } });
    expect(household).toMatchObject({ code: "AS-101", headIdMasked: "110105********002X", displayName: "赵家", memberCount: 4 });
    expect(JSON.stringify(household)).not.toContain(VALID_ID);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "household.update" } });
    expect(JSON.stringify(audit.changes)).not.toContain(VALID_ID);
    expect(audit.changes).toMatchObject({ headIdMasked: { to: "110105********002X" }, memberCount: { to: 4 } });
    const found = await outcome(() =>
      listAction({ request: request("/team/households", team.cookie, { idNumber: VALID_ID.toLowerCase() }), params: {}, context: {} }),
    );
    expect(found).toMatchObject({ status: 302, location: `/team/households/${householdId}` });
  });

  it.each([
    [{ headIdNumber: "11010519491231002Y" }, "headIdNumber", "households.errors.idNumber"],
    [{ memberCount: "0" }, "memberCount", "households.errors.memberCount"],
    [{ memberCount: "2.5" }, "memberCount", "households.errors.memberCount"],
    [{ exitYear: "1999" }, "exitYear", "households.errors.exitYear"],
    [{ code: "17" }, "code", "households.errors.code"],
    [{ displayName: "" }, "displayName", "households.errors.displayNameRequired"],
  ])("refuses %o with a field message and writes nothing", async (change, field, message) => {
    const team = await cookieFor(["team"]);
    const before = await db.household.findUniqueOrThrow({ where: { id: householdId } });
    const result = await outcome(() =>
      editAction({ request: request("/x", team.cookie, { ...form, ...change }), params: { householdId }, context: {} }),
    );
    expect(result.status).toBe(400);
    expect((result.data as { result: { error: Record<string, string[]> } }).result.error[field]).toEqual([message]);
    expect(await db.household.findUniqueOrThrow({ where: { id: householdId } })).toEqual(before);
    expect(await db.auditLog.count({ where: { action: "household.update" } })).toBe(0);
  });

  it("refuses a code another household already has", async () => {
    const team = await cookieFor(["team"]);
    const other = await createLot(shop, 1);
    await db.household.update({ where: { id: other.householdId }, data: { code: "AS-102" } });
    const result = await outcome(() =>
      newAction({ request: request("/x", team.cookie, { ...form, code: "AS-102" }), params: {}, context: {} }),
    );
    expect(result.status).toBe(422);
    expect(await db.household.count()).toBe(2);
  });

  it("shows the ledger with a running balance and the year's income against the threshold", async () => {
    const team = await cookieFor(["team"]);
    await db.setting.create({ data: { villageId: shop.village.id, key: "monitoring.perCapitaThresholdFen", value: 700_000 } });
    const buyer = await createEmployee(shop.unit.id);
    await placePaidOrder(deliveryOrderInput(shop, buyer.id, 2));
    await placePaidOrder(deliveryOrderInput(shop, buyer.id, 1));
    const page = await outcome(() => fileLoader({ request: request("/x", team.cookie), params: { householdId }, context: {} }));
    const { ledger, income } = page.data as {
      ledger: { entries: { amountFen: number; balanceFen: number }[]; balanceFen: number };
      income: { assistanceFen: number; belowThreshold: boolean };
    };
    const credit = (units: number) => units * 8800 - Math.floor((units * 8800 * 800 * 2 + 10_000) / 20_000);
    expect(ledger.entries.map((e) => e.amountFen)).toEqual([credit(1), credit(2)]);
    expect(ledger.entries.map((e) => e.balanceFen)).toEqual([credit(1) + credit(2), credit(2)]);
    expect(ledger.balanceFen).toBe(credit(1) + credit(2));
    expect(income).toMatchObject({ assistanceFen: credit(1) + credit(2), belowThreshold: true });
  });
});
