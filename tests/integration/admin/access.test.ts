// Every route this area added, for every kind of visitor: signed out, employee, organizer of the unit and of another
// unit, cooperative, work team, admin. Refused visitors write nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { action as activateAction, loader as activateLoader } from "~/routes/activate";
import { loader as auditLoader } from "~/routes/admin.audit";
import { loader as settingsLoader } from "~/routes/admin.settings";
import { action as unitAction, loader as unitLoader } from "~/routes/admin.units.$unitId._index";
import { action as adminRosterAction, loader as adminRosterLoader } from "~/routes/admin.units.$unitId.roster";
import { action as unitsAction, loader as unitsLoader } from "~/routes/admin.units._index";
import { action as villagesAction, loader as villagesLoader } from "~/routes/admin.villages";
import { action as rosterAction, loader as rosterLoader } from "~/routes/organizer.roster";
import { loader as teamSettingsLoader } from "~/routes/team.settings";
import { truncateAllTables } from "../../setup/reset";
import { createShop } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";

type Visitor = "signedOut" | "employee" | "organizer" | "otherOrganizer" | "coop" | "team" | "admin";
const VISITORS: Visitor[] = ["signedOut", "employee", "organizer", "otherOrganizer", "coop", "team", "admin"];

let shop: Awaited<ReturnType<typeof createShop>>;
let otherUnit: { id: string };
let member: { id: string };
const cookies = {} as Record<Visitor, string>;

beforeAll(async () => {
  await truncateAllTables();
  shop = await createShop();
  otherUnit = await db.unit.create({ data: { code: "B", name: "一队", nameEn: "Team 1" } });
  const make = async (roles: Role[], unitId: string | null, villageId: string | null = null) => {
    const { user, cookie } = await signedIn(roles, villageId);
    if (unitId) await db.user.update({ where: { id: user.id }, data: { unitId } });
    return cookie;
  };
  cookies.signedOut = "";
  cookies.employee = await make(["employee"], shop.unit.id);
  cookies.organizer = await make(["employee", "organizer"], shop.unit.id);
  cookies.otherOrganizer = await make(["employee", "organizer"], otherUnit.id);
  cookies.coop = await make(["coop"], null, shop.village.id);
  cookies.team = await make(["team"], null, shop.village.id);
  cookies.admin = await make(["admin"], null);
  member = await db.user.create({ data: { name: "职工", phone: "13800000001", passwordHash: "x", unitId: shop.unit.id } });
});

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: { clientIp: "198.51.100.1" } });
const multipart = (path: string, cookie: string) => {
  const form = new FormData();
  form.set("intent", "import");
  form.set("file", new File(["张三,13800000009"], "r.csv"));
  return new Request(`http://localhost${path}`, { method: "POST", headers: { Cookie: cookie }, body: form });
};

type Route = { name: string; run: (cookie: string) => Promise<unknown>; expect: Record<Visitor, number> };

const adminOnly = { signedOut: 302, employee: 403, organizer: 403, otherOrganizer: 403, coop: 403, team: 403, admin: 200 };

const routes = (): Route[] => [
  { name: "GET /admin/units", run: (c) => unitsLoader(args(routeRequest("/admin/units", c))), expect: adminOnly },
  {
    name: "POST /admin/units",
    run: (c) =>
      unitsAction(
        args(
          routeRequest("/admin/units", c, {
            intent: "create",
            code: `C-${Math.random().toString(36).slice(2, 8)}`,
            name: "新",
            nameEn: "New",
          }),
        ),
      ),
    expect: adminOnly,
  },
  {
    name: "GET /admin/units/:id",
    run: (c) => unitLoader(args(routeRequest(`/admin/units/${shop.unit.id}`, c), { unitId: shop.unit.id })),
    expect: adminOnly,
  },
  {
    name: "POST /admin/units/:id",
    run: (c) =>
      unitAction(args(routeRequest(`/admin/units/${shop.unit.id}`, c, { intent: "grant", userId: member.id }), { unitId: shop.unit.id })),
    expect: adminOnly,
  },
  {
    name: "GET /admin/units/:id/roster",
    run: (c) => adminRosterLoader(args(routeRequest(`/admin/units/${shop.unit.id}/roster`, c), { unitId: shop.unit.id })),
    expect: adminOnly,
  },
  {
    name: "POST /admin/units/:id/roster",
    run: (c) => adminRosterAction(args(multipart(`/admin/units/${otherUnit.id}/roster`, c), { unitId: otherUnit.id })),
    expect: adminOnly,
  },
  { name: "GET /admin/villages", run: (c) => villagesLoader(args(routeRequest("/admin/villages", c))), expect: adminOnly },
  {
    name: "POST /admin/villages",
    run: (c) =>
      villagesAction(
        args(routeRequest("/admin/villages", c, { cooperativeId: shop.cooperative.id, deliveryFee: "15", defaultFeeRate: "9" })),
      ),
    expect: adminOnly,
  },
  { name: "GET /admin/settings", run: (c) => settingsLoader(args(routeRequest("/admin/settings", c))), expect: adminOnly },
  { name: "GET /admin/audit", run: (c) => auditLoader(args(routeRequest("/admin/audit", c))), expect: adminOnly },
  {
    name: "GET /organizer/roster",
    run: (c) => rosterLoader(args(routeRequest("/organizer/roster", c))),
    expect: { signedOut: 302, employee: 403, organizer: 200, otherOrganizer: 200, coop: 403, team: 403, admin: 403 },
  },
  {
    name: "POST /organizer/roster",
    run: (c) => rosterAction(args(multipart("/organizer/roster", c))),
    expect: { signedOut: 302, employee: 403, organizer: 200, otherOrganizer: 200, coop: 403, team: 403, admin: 403 },
  },
  {
    name: "GET /activate",
    run: (c) => activateLoader(args(routeRequest("/activate", c))),
    expect: { signedOut: 200, employee: 302, organizer: 302, otherOrganizer: 302, coop: 302, team: 302, admin: 302 },
  },
  {
    name: "POST /activate",
    run: (c) => activateAction(args(routeRequest("/activate", c, { phone: "13800000001", code: "AAAAA-BBBBB", password: "password-1" }))),
    expect: { signedOut: 422, employee: 302, organizer: 302, otherOrganizer: 302, coop: 302, team: 302, admin: 302 },
  },
  {
    name: "GET /team/settings?village=",
    run: (c) => teamSettingsLoader(args(routeRequest(`/team/settings?village=${shop.village.id}`, c))),
    expect: { signedOut: 302, employee: 403, organizer: 403, otherOrganizer: 403, coop: 403, team: 200, admin: 200 },
  },
];

describe("access to the roster and admin routes", () => {
  for (const visitor of VISITORS) {
    it(`answers ${visitor} as the matrix says, and a refused visitor writes nothing`, async () => {
      for (const route of routes()) {
        const before = { users: await db.user.count(), units: await db.unit.count(), roles: await db.userRole.count() };
        const result = await outcome(() => route.run(cookies[visitor]));
        expect(result.status, `${route.name} as ${visitor}`).toBe(route.expect[visitor]);
        if (result.status === 302 && visitor === "signedOut") expect(result.location).toMatch(/^\/login\?redirectTo=/);
        if (result.status !== 200) {
          expect({ users: await db.user.count(), units: await db.unit.count(), roles: await db.userRole.count() }, route.name).toEqual(
            before,
          );
        }
      }
    });
  }

  it("keeps another village's settings from its work team (404)", async () => {
    const other = await db.village.create({ data: { name: "别村", nameEn: "Other", county: "魏县" } });
    expect((await outcome(() => teamSettingsLoader(args(routeRequest(`/team/settings?village=${other.id}`, cookies.team))))).status).toBe(
      404,
    );
  });
});
