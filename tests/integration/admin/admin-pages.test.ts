import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { messageRef } from "~/i18n/i18n";
import { loader as auditLoader } from "~/routes/admin.audit";
import { loader as settingsLoader } from "~/routes/admin.settings";
import { action as unitAction, loader as unitLoader } from "~/routes/admin.units.$unitId._index";
import { action as unitsAction, loader as unitsLoader } from "~/routes/admin.units._index";
import { action as villagesAction } from "~/routes/admin.villages";
import { loader as newProductLoader } from "~/routes/coop.products_.new";
import { action as teamSettingsAction } from "~/routes/team.settings";
import { truncateAllTables } from "../../setup/reset";
import { createShop } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";

let shop: Awaited<ReturnType<typeof createShop>>;
let admin: { user: { id: string }; cookie: string };

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
  admin = await signedIn(["admin"], null);
});

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: { clientIp: "198.51.100.1" } });
const post = (path: string, form: Record<string, string>) => routeRequest(path, admin.cookie, form);

describe("units", () => {
  it("shows the bureau's units with members and organizers, adds a unit, and refuses a taken code", async () => {
    const created = await outcome(() =>
      unitsAction(args(post("/admin/units", { intent: "create", code: "HQ-2", name: "二处", nameEn: "Office 2" }))),
    );
    expect(created).toMatchObject({ status: 200, data: { done: messageRef("adminPages.units.created", { name: "二处" }) } });
    const taken = await outcome(() =>
      unitsAction(args(post("/admin/units", { intent: "create", code: "HQ-2", name: "重复", nameEn: "Dup" }))),
    );
    expect(taken).toMatchObject({ status: 422, data: { result: { error: { code: ["adminPages.units.codeTaken"] } } } });
    const bad = await outcome(() => unitsAction(args(post("/admin/units", { intent: "create", code: "有 空格", name: "", nameEn: "x" }))));
    expect(bad).toMatchObject({
      status: 422,
      data: { result: { error: { code: ["adminPages.units.codeFormat"], name: ["errors.required"] } } },
    });
    expect(await db.unit.count()).toBe(2);
    expect(await db.auditLog.count({ where: { action: "unit.create" } })).toBe(1);

    // A sub-unit sits under its parent in the tree.
    await db.unit.update({ where: { code: "HQ-2" }, data: { parentId: shop.unit.id } });
    const page = await outcome(() => unitsLoader(args(routeRequest("/admin/units", admin.cookie))));
    const tree = (page.data as { units: { id: string; children: { code: string }[] }[] }).units;
    expect(tree.map((u) => u.id)).toEqual([shop.unit.id]);
    expect(tree[0]!.children.map((u) => u.code)).toEqual(["HQ-2"]);
  });

  it("grants and revokes a member's organizer role, audited, and refuses someone outside the unit", async () => {
    const member = await db.user.create({
      data: { name: "王五", phone: "13800000005", passwordHash: "x", unitId: shop.unit.id, roles: { create: [{ role: "employee" }] } },
    });
    const outsider = await db.user.create({ data: { name: "外人", phone: "13800000006", passwordHash: "x" } });
    const at = `/admin/units/${shop.unit.id}`;
    const grant = await outcome(() => unitAction(args(post(at, { intent: "grant", userId: member.id }), { unitId: shop.unit.id })));
    expect(grant).toMatchObject({ status: 200, data: { done: messageRef("adminPages.units.granted", { name: "王五" }) } });
    const roles = async (id: string) =>
      (await db.userRole.findMany({ where: { userId: id }, orderBy: { role: "asc" } })).map((r) => r.role);
    expect(await roles(member.id)).toEqual(["employee", "organizer"]);
    await outcome(() => unitAction(args(post(at, { intent: "grant", userId: member.id }), { unitId: shop.unit.id })));
    expect(await db.auditLog.count({ where: { action: "unit.organizer.grant" } })).toBe(1);

    const tree = await outcome(() => unitsLoader(args(routeRequest("/admin/units", admin.cookie))));
    expect((tree.data as { units: { organizers: { name: string }[] }[] }).units[0]!.organizers.map((o) => o.name)).toEqual(["王五"]);

    await outcome(() => unitAction(args(post(at, { intent: "revoke", userId: member.id }), { unitId: shop.unit.id })));
    expect(await roles(member.id)).toEqual(["employee"]);
    expect((await db.auditLog.findFirstOrThrow({ where: { action: "unit.organizer.revoke" } })).changes).toMatchObject({
      before: { roles: ["employee", "organizer"] },
      after: { roles: ["employee"] },
    });

    expect(
      (await outcome(() => unitAction(args(post(at, { intent: "grant", userId: outsider.id }), { unitId: shop.unit.id })))).status,
    ).toBe(404);
    expect(
      (await outcome(() => unitAction(args(post(at, { intent: "promote", userId: member.id }), { unitId: shop.unit.id })))).status,
    ).toBe(400);
    expect(await roles(outsider.id)).toEqual([]);
    const members = await outcome(() => unitLoader(args(routeRequest(at, admin.cookie), { unitId: shop.unit.id })));
    expect((members.data as { members: { name: string }[] }).members.map((m) => m.name)).toEqual(["王五"]);
    expect((await outcome(() => unitLoader(args(routeRequest("/admin/units/nope", admin.cookie), { unitId: "nope" })))).status).toBe(404);
  });
});

describe("villages and cooperatives", () => {
  it("saves a cooperative's delivery fee and default fee rate, audited; new products start with that rate", async () => {
    const saved = await outcome(() =>
      villagesAction(args(post("/admin/villages", { cooperativeId: shop.cooperative.id, deliveryFee: "15.5", defaultFeeRate: "7.25" }))),
    );
    expect(saved).toMatchObject({ status: 200, data: { done: messageRef("adminPages.villages.saved", { name: "合作社" }) } });
    expect(await db.cooperative.findUniqueOrThrow({ where: { id: shop.cooperative.id } })).toMatchObject({
      deliveryFeeFen: 1550,
      defaultFeeRateBp: 725,
    });
    expect((await db.auditLog.findFirstOrThrow({ where: { action: "cooperative.fees.update" } })).changes).toEqual({
      before: { deliveryFeeFen: 1200, defaultFeeRateBp: 800 },
      after: { deliveryFeeFen: 1550, defaultFeeRateBp: 725 },
    });
    const coop = await signedIn(["coop"], shop.village.id);
    expect(await outcome(() => newProductLoader(args(routeRequest("/coop/products/new", coop.cookie))))).toMatchObject({
      data: { feeRate: "7.25" },
    });

    const bad = await outcome(() =>
      villagesAction(args(post("/admin/villages", { cooperativeId: shop.cooperative.id, deliveryFee: "-1", defaultFeeRate: "80" }))),
    );
    expect(bad).toMatchObject({
      status: 422,
      data: {
        result: {
          error: { deliveryFee: ["adminPages.villages.deliveryFeeInvalid"], defaultFeeRate: ["adminPages.villages.feeRateInvalid"] },
        },
      },
    });
    expect(
      (await outcome(() => villagesAction(args(post("/admin/villages", { cooperativeId: "nope", deliveryFee: "1", defaultFeeRate: "1" })))))
        .status,
    ).toBe(404);
    expect(await db.auditLog.count({ where: { action: "cooperative.fees.update" } })).toBe(1);
  });
});

describe("settings per village", () => {
  it("keeps each village's settings apart: an admin saves one village's without touching the other's", async () => {
    const other = await db.village.create({ data: { name: "别村", nameEn: "Other", county: "魏县" } });
    const save = (villageId: string, threshold: string) =>
      outcome(() => teamSettingsAction(args(post("/team/settings", { threshold, dropShare: "30", noSalesDays: "90", villageId }))));
    expect(await save(shop.village.id, "6000")).toMatchObject({ status: 200 });
    expect(await save(other.id, "5000")).toMatchObject({ status: 200 });
    const page = await outcome(() => settingsLoader(args(routeRequest("/admin/settings", admin.cookie))));
    const byVillage = Object.fromEntries(
      (page.data as { villages: { id: string; settings: { perCapitaThresholdFen: number } }[] }).villages.map((v) => [
        v.id,
        v.settings.perCapitaThresholdFen,
      ]),
    );
    expect(byVillage).toEqual({ [shop.village.id]: 600_000, [other.id]: 500_000 });
    // A team member saves their own village's, whatever village the form names.
    const team = await signedIn(["team"], other.id);
    const teamSave = await outcome(() =>
      teamSettingsAction(
        args(
          routeRequest("/team/settings", team.cookie, {
            threshold: "4000",
            dropShare: "30",
            noSalesDays: "90",
            villageId: shop.village.id,
          }),
        ),
      ),
    );
    expect(teamSave.status).toBe(404);
    expect(
      await db.setting.findUniqueOrThrow({
        where: { villageId_key: { villageId: shop.village.id, key: "monitoring.perCapitaThresholdFen" } },
      }),
    ).toMatchObject({
      value: 600_000,
    });
  });
});

describe("audit log", () => {
  it("filters by actor, entity, action and date, pages, shows the changes, and records each opening", async () => {
    const actor = await db.user.create({ data: { name: "李审计", phone: "13800000007", passwordHash: "x" } });
    await db.auditLog.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        actorId: i % 2 ? actor.id : null,
        action: i % 3 ? "household.update" : "order.refund",
        entityType: i % 3 ? "Household" : "Order",
        entityId: `e-${i}`,
        changes: { before: { n: i }, after: { n: i + 1 } },
        createdAt: new Date(Date.UTC(2026, 5, 1 + (i % 10), 4)),
      })),
    });
    const read = async (query: string) =>
      (await outcome(() => auditLoader(args(routeRequest(`/admin/audit?${query}`, admin.cookie))))).data as {
        total: number;
        pages: number;
        entries: { entityId: string; changes: string | null; actor: { name: string } | null }[];
        entityTypes: string[];
      };
    const all = await read("");
    // The opening is recorded before the log is read, so it is on the page it opened.
    expect(all.total).toBe(61);
    expect(all.pages).toBe(2);
    expect(all.entries).toHaveLength(50);
    expect(all.entityTypes).toEqual(["AuditLog", "Household", "Order"]);
    expect(all.entries[0]).toMatchObject({ entityId: "-", actor: { name: "测试" } });
    expect(JSON.parse(all.entries.find((e) => e.entityId === "e-50")!.changes!)).toEqual({ before: { n: 50 }, after: { n: 51 } });
    const second = await read("page=2");
    expect(second.total).toBe(62);
    expect(second.entries).toHaveLength(12);
    expect((await read("actor=李审计")).total).toBe(30);
    expect((await read("actor=13800000007&entityType=Order")).total).toBe(10);
    expect((await read("action=order.&entityId=e-3")).entries.map((e) => e.entityId)).toEqual(["e-3"]);
    expect((await read("from=2026-06-01&to=2026-06-02")).total).toBe(12);
    expect((await read("from=not-a-date&page=-4")).total).toBeGreaterThan(60);
    const views = await db.auditLog.findMany({ where: { action: "audit.view" }, orderBy: { id: "asc" } });
    expect(views).toHaveLength(7);
    expect(views[0]).toMatchObject({ actorId: admin.user.id, ip: "198.51.100.1", changes: { page: 1 } });
    expect(views[3]!.changes).toEqual({ actor: "13800000007", entityType: "Order", page: 1 });
  });
});
