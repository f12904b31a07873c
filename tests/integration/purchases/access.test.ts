// Who may open the new pages (issue 16): every new route × every role, bureau included, and what the bureau sees —
// units' totals only, no employee's name and nothing of a household. Then the targets form's bad input.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { action as bureauTargetsAction, loader as bureauTargetsLoader } from "~/routes/bureau.targets";
import { loader as bureauExport } from "~/routes/bureau.export";
import { loader as bureauLoader } from "~/routes/bureau._index";
import { action as coopRatingsAction, loader as coopRatingsLoader } from "~/routes/coop.ratings";
import { action as progressAction, loader as progressLoader } from "~/routes/organizer.progress";
import { confirmReceiptByBuyer } from "~/domain/purchases/receipt.server";
import { currentShopYear } from "~/utils/dates";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";
import { BAG_FEN, paidGroupOrder, purchaseShop } from "./helpers";

let setup: Awaited<ReturnType<typeof purchaseShop>>;
let buyerName: string;

beforeAll(async () => {
  await truncateAllTables();
  setup = await purchaseShop();
  const buyer = await db.user.update({ where: { id: (await createEmployee(setup.shop.unit.id)).id }, data: { name: "王小明" } });
  buyerName = buyer.name;
  const order = await paidGroupOrder(setup, buyer.id, 2);
  await confirmReceiptByBuyer(buyer.id, order.number);
});

const call = (handler: (args: never) => Promise<unknown>, path: string, cookie: string, form?: Record<string, string>) =>
  outcome(() => handler({ request: routeRequest(path, cookie, form), params: {}, context: {} } as never));

const ROUTES = [
  { name: "bureau page", allowed: ["bureau", "admin"], run: (c: string) => call(bureauLoader, "/bureau", c) },
  { name: "bureau xlsx", allowed: ["bureau", "admin"], run: (c: string) => call(bureauExport, "/bureau/export", c) },
  { name: "targets page", allowed: ["bureau", "admin"], run: (c: string) => call(bureauTargetsLoader, "/bureau/targets", c) },
  {
    name: "targets form",
    allowed: ["bureau", "admin"],
    run: (c: string) => call(bureauTargetsAction, "/bureau/targets", c, { intent: "autoReceipt", days: "7" }),
  },
  { name: "unit progress", allowed: ["organizer", "admin"], run: (c: string) => call(progressLoader, "/organizer/progress", c) },
  {
    name: "pickup form",
    allowed: ["organizer", "admin"],
    // A group order that does not exist: past the guard, the command answers 404 — so "allowed" here means "not 403".
    run: (c: string) => call(progressAction, "/organizer/progress", c, { intent: "pickup", groupOrderId: "none" }),
  },
  { name: "coop ratings", allowed: ["coop", "admin"], run: (c: string) => call(coopRatingsLoader, "/coop/ratings", c) },
  {
    name: "hide comment",
    allowed: ["coop", "admin"],
    run: (c: string) => call(coopRatingsAction, "/coop/ratings", c, { intent: "hide", orderLineId: "none", confirm: "yes" }),
  },
] as const;

const ROLES: Role[] = ["employee", "organizer", "coop", "team", "admin", "bureau"];

describe("every new route × every role", () => {
  it("sends a signed-out visitor to sign in", async () => {
    for (const route of ROUTES) {
      expect(await route.run(""), route.name).toMatchObject({ status: 302, location: expect.stringMatching(/^\/login\?redirectTo=/) });
    }
  });

  for (const role of ROLES) {
    it(`${role}: opens what the role may, 403 for the rest`, async () => {
      const { cookie } = await signedIn(role === "employee" ? ["employee"] : ["employee", role], setup.shop.village.id);
      for (const route of ROUTES) {
        const { status } = await route.run(cookie);
        if ((route.allowed as readonly string[]).includes(role)) expect([200, 404], `${role} ${route.name}`).toContain(status);
        else expect(status, `${role} ${route.name}`).toBe(403);
      }
    });
  }
});

describe("what the bureau sees", () => {
  it("every unit's counted total, with no employee's name and nothing of a household", async () => {
    const { cookie } = await signedIn(["bureau"], null);
    const page = await call(bureauLoader, "/bureau", cookie);
    const view = page.data as { rows: { unitId: string; countedFen: number }[] };
    expect(view.rows.find((row) => row.unitId === setup.shop.unit.id)?.countedFen).toBe(2 * BAG_FEN);
    const text = JSON.stringify(page.data);
    expect(text).not.toContain(buyerName);
    expect(text).not.toMatch(/AS-\d/);
  });

  it("refuses a bad year or sort with 400 and the field's message", async () => {
    const { cookie } = await signedIn(["bureau"], null);
    expect((await call(bureauLoader, "/bureau?year=abc", cookie)).status).toBe(400);
    expect((await call(bureauLoader, `/bureau?year=${currentShopYear() + 5}`, cookie)).status).toBe(400);
    expect((await call(bureauLoader, "/bureau?sort=random", cookie)).status).toBe(400);
  });
});

describe("setting a target", () => {
  it("refuses a negative target, text, and an amount beyond the column, writing nothing", async () => {
    const { cookie } = await signedIn(["bureau"], null);
    const year = String(currentShopYear());
    const base = { intent: "target", unitId: setup.shop.unit.id, year, mode: "total" };
    for (const amount of ["-1", "abc", "21474836.48", "99999999"]) {
      const answer = await call(bureauTargetsAction, "/bureau/targets", cookie, { ...base, amount });
      expect(answer.status, amount).toBe(422);
    }
    const perMember = await call(bureauTargetsAction, "/bureau/targets", cookie, {
      ...base,
      mode: "perMember",
      amount: "50000",
      memberCount: "1000",
    });
    expect(perMember.status).toBe(422);
    expect((perMember.data as { result: { error: Record<string, string[]> } }).result.error.amount).toEqual(["purchases.errors.tooLarge"]);
    const noMembers = await call(bureauTargetsAction, "/bureau/targets", cookie, { ...base, mode: "perMember", amount: "500" });
    expect(noMembers.status).toBe(422);
    expect(await db.unitTarget.count()).toBe(0);
    expect((await db.unit.findUniqueOrThrow({ where: { id: setup.shop.unit.id } })).memberCount).toBeNull();
    expect(await db.auditLog.count({ where: { action: "unit.target.set" } })).toBe(0);
  });

  it("sets ¥500 × 80 members for this year, keeps last year's, and audits the change", async () => {
    const { cookie } = await signedIn(["admin"], null);
    const year = currentShopYear();
    const base = { intent: "target", unitId: setup.shop.unit.id };
    expect(
      (await call(bureauTargetsAction, "/bureau/targets", cookie, { ...base, year: String(year - 1), mode: "total", amount: "30000" }))
        .status,
    ).toBe(200);
    const answer = await call(bureauTargetsAction, "/bureau/targets", cookie, {
      ...base,
      year: String(year),
      mode: "perMember",
      amount: "500",
      memberCount: "80",
    });
    expect(answer.status).toBe(200);
    expect(
      await db.unitTarget.findMany({
        orderBy: { year: "asc" },
        select: { year: true, targetFen: true, perMemberFen: true, memberCount: true },
      }),
    ).toEqual([
      { year: year - 1, targetFen: 3_000_000, perMemberFen: null, memberCount: null },
      { year, targetFen: 4_000_000, perMemberFen: 50_000, memberCount: 80 },
    ]);
    expect((await db.unit.findUniqueOrThrow({ where: { id: setup.shop.unit.id } })).memberCount).toBe(80);
    expect(await db.auditLog.count({ where: { action: "unit.target.set" } })).toBe(2);
  });
});
