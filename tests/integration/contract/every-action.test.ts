// The action contract (docs/decisions/0008) over every route that exports an action, found from the route files so
// a new route fails here until it is in the table. Each action, used by a role allowed to use it, is sent an empty
// form, each field of a well-formed form with a value of the wrong type, and each field 10,000 characters long; every
// field holding yuan also gets amounts of 9, 10 and 12 digits. Each answer is 400 or 422 with messages both languages
// translate, on the field that was wrong (415 for a JSON body, 400 for a multipart one cut short, 413 for one declared
// larger than any form); never a 500, and no row of any table is written. Two routes refuse before
// reading a form, and say so in the table: the Stripe webhook (400 without a signature) and sign-out (which reads no
// fields and sends everyone home).
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { parseMessageRef } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import * as activate from "~/routes/activate";
import * as adminJobs from "~/routes/admin.jobs";
import * as adminUnit from "~/routes/admin.units.$unitId._index";
import * as adminRoster from "~/routes/admin.units.$unitId.roster";
import * as adminUnits from "~/routes/admin.units._index";
import * as adminUser from "~/routes/admin.users.$userId";
import * as adminVillages from "~/routes/admin.villages";
import * as bureauTargets from "~/routes/bureau.targets";
import * as cart from "~/routes/cart";
import * as checkout from "~/routes/checkout";
import * as coopLots from "~/routes/coop.lots._index";
import * as coopOrder from "~/routes/coop.orders.$orderId";
import * as coopPayout from "~/routes/coop.payouts.$householdId";
import * as coopPicking from "~/routes/coop.picking";
import * as coopProducts from "~/routes/coop.products";
import * as coopProduct from "~/routes/coop.products_.$productId";
import * as coopNewProduct from "~/routes/coop.products_.new";
import * as coopRatings from "~/routes/coop.ratings";
import * as language from "~/routes/language";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as buyerOrder from "~/routes/orders.$number";
import * as groupOrder from "~/routes/organizer.group-orders.$id._index";
import * as newGroupOrder from "~/routes/organizer.group-orders.new";
import * as unitProgress from "~/routes/organizer.progress";
import * as organizerRoster from "~/routes/organizer.roster";
import * as register from "~/routes/register";
import * as teamAlerts from "~/routes/team.alerts";
import * as teamCards from "~/routes/team.cards";
import * as editHousehold from "~/routes/team.households.$householdId_.edit";
import * as householdFlags from "~/routes/team.households.$householdId_.flags";
import * as householdIncome from "~/routes/team.households.$householdId_.income";
import * as householdMembers from "~/routes/team.households.$householdId_.members";
import * as householdLookup from "~/routes/team.households._index";
import * as newHousehold from "~/routes/team.households.new";
import * as teamSettings from "~/routes/team.settings";
import * as stripeWebhook from "~/routes/webhooks.stripe";
import { paidOrder } from "../cooperative/fixtures";
import { createGroupOrder } from "../fixtures";
import { outcome, signedIn } from "../route-helpers";

const ROUTES_DIR = path.resolve("app/routes");
const LONG_TEXT = "长".repeat(10_000);
const LONG_NUMBER = "9".repeat(10_000);
const YUAN_DIGITS = ["123456789", "1234567890", "123456789012"];

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Value = string | string[] | Blob;
type Form = Record<string, Value>;
type Fixtures = Awaited<ReturnType<typeof createFixtures>>;

type Entry = {
  action: Action;
  /** Who uses it: these roles (signed in, in the shop's village), or nobody signed in. */
  as: Role[] | "anonymous";
  /** The signed-in user belongs to the shop's unit (pages about one's own unit). */
  inUnit?: boolean;
  path: (f: Fixtures) => string;
  params?: (f: Fixtures) => Record<string, string>;
  /** One well-formed submission of each of the page's forms. */
  forms: (f: Fixtures) => Form[];
  /** Fields holding a yuan amount. */
  yuan?: string[];
  /** A multipart body is the photo upload here, so a text field's wrong type can only be tested as text. */
  multipartIsAnotherForm?: boolean;
  /** Routes that answer before reading any form field: the status every body gets, and why. */
  refusesBeforeParsing?: { status: number; why: string };
};

async function createFixtures() {
  const placed = await paidOrder(2, [5, 5]);
  const { shop, line, lots } = placed;
  const householdId = lots[0]!.householdId;
  const allocation = await db.allocation.findFirstOrThrow({ where: { orderLineId: line.id }, select: { id: true } });
  const memberId = (await db.householdMember.create({ data: { householdId, name: "赵春生", relation: "户主", ageBand: "16-59" } })).id;
  const flagId = (await db.riskFlag.create({ data: { householdId, kind: "other", note: "x" } })).id;
  const alertId = (await db.monitoringAlert.create({ data: { householdId, kind: "risk_flag", periodKey: `flag:${flagId}`, detail: {} } }))
    .id;
  const imageId = (
    await db.productImage.create({
      data: { productId: shop.product.id, path: "/images/peaches.svg", altZh: "桃", altEn: "Peaches", width: 4, height: 3 },
    })
  ).id;
  const groupOrderId = (await createGroupOrder(shop, placed.buyer.id)).id;
  return { ...placed, householdId, allocationId: allocation.id, memberId, flagId, alertId, imageId, groupOrderId, otherLot: lots[1]! };
}

const household = { code: "AS-101", headName: "赵春生", memberCount: "4", villageGroup: "二组", status: "other", exitYear: "2019" };
const member = { name: "赵小梅", relation: "女儿", ageBand: "6-15", schooling: "小学", idNumber: "11010519491231002X" };
const income = { year: String(new Date().getFullYear()), source: "wages", amount: "12000.50", note: "务工" };
const sku = { code: "PEACH-10", nameZh: "十公斤", nameEn: "10 kg", price: "88.00", weightGrams: "10000", maxPerOrder: "10", active: "on" };
const product = { slug: "peaches-ten", nameZh: "桃", nameEn: "Peaches", descriptionZh: "甜", seasonZh: "七月", feeRate: "8", active: "on" };

const roster = (f: Fixtures): Form[] => [
  { intent: "reissue", userId: f.buyer.id },
  { intent: "preview", file: new Blob(["姓名,手机号,部门\n李四,13900000003,办公室\n"], { type: "text/csv" }) },
];

const TABLE: Record<string, Entry> = {
  "activate.tsx": {
    action: activate.action,
    as: "anonymous",
    path: () => "/activate",
    forms: (): Form[] => [{ phone: "13900000002", code: "K7QM-4XPT", password: "a-long-password" }],
  },
  "admin.jobs.tsx": {
    action: adminJobs.action,
    as: ["admin"],
    path: () => "/admin/jobs",
    forms: (): Form[] => [{ intent: "retry", name: "notifications", id: randomUUID() }],
  },
  "admin.units.$unitId._index.tsx": {
    action: adminUnit.action,
    as: ["admin"],
    path: (f) => `/admin/units/${f.shop.unit.id}`,
    params: (f) => ({ unitId: f.shop.unit.id }),
    forms: (f): Form[] => [
      { intent: "grant", userId: f.buyer.id },
      { intent: "revoke", userId: f.buyer.id },
    ],
  },
  "admin.units.$unitId.roster.tsx": {
    action: adminRoster.action,
    as: ["admin"],
    path: (f) => `/admin/units/${f.shop.unit.id}/roster`,
    params: (f) => ({ unitId: f.shop.unit.id }),
    forms: roster,
    multipartIsAnotherForm: true,
  },
  "admin.units._index.tsx": {
    action: adminUnits.action,
    as: ["admin"],
    path: () => "/admin/units",
    forms: (): Form[] => [{ intent: "create", code: "U-NEW", name: "新单位", nameEn: "New unit" }],
  },
  "admin.users.$userId.tsx": {
    action: adminUser.action,
    as: ["admin"],
    path: (f) => `/admin/users/${f.buyer.id}`,
    params: (f) => ({ userId: f.buyer.id }),
    forms: (f): Form[] => [{ roles: ["employee", "organizer"], unitId: f.shop.unit.id, villageId: f.shop.village.id }],
  },
  "admin.villages.tsx": {
    action: adminVillages.action,
    as: ["admin"],
    path: () => "/admin/villages",
    forms: (f): Form[] => [{ cooperativeId: f.shop.cooperative.id, deliveryFee: "5.00", defaultFeeRate: "8" }],
    yuan: ["deliveryFee"],
  },
  "bureau.targets.tsx": {
    action: bureauTargets.action,
    as: ["bureau"],
    path: () => "/bureau/targets",
    forms: (f): Form[] => [
      { intent: "target", mode: "total", unitId: f.shop.unit.id, year: income.year, amount: "100000.00", memberCount: "120" },
      { intent: "autoReceipt", days: "7" },
    ],
    yuan: ["amount"],
  },
  "cart.tsx": {
    action: cart.action,
    as: ["employee"],
    path: () => "/cart",
    forms: (f): Form[] => [
      { intent: "add", skuId: f.shop.sku.id, quantity: "2" },
      { intent: "update", skuId: f.shop.sku.id, quantity: "1" },
      { intent: "remove", skuId: f.shop.sku.id },
    ],
  },
  "checkout.tsx": {
    action: checkout.action,
    as: ["employee"],
    path: () => "/checkout",
    forms: (f): Form[] => [
      {
        idempotencyKey: randomUUID(),
        fulfilment: "delivery",
        paymentMethod: "card",
        recipientName: "张三",
        recipientPhone: "13900000000",
        address: "北京市西城区",
      },
      { idempotencyKey: randomUUID(), fulfilment: `group:${f.groupOrderId}`, paymentMethod: "unit_settlement" },
    ],
  },
  "coop.lots._index.tsx": {
    action: coopLots.action,
    as: ["coop"],
    path: () => "/coop/lots",
    forms: (f): Form[] => [
      {
        intent: "receive",
        skuId: f.shop.sku.id,
        householdId: f.householdId,
        quantity: "5",
        producedOn: "2026-11-28",
        receivedOn: "2026-11-29",
        bestBefore: "2026-12-09",
        notes: "好",
        idempotencyKey: randomUUID(),
      },
      { intent: "writeOff", lotId: f.lots[0]!.id, quantity: "1", reason: "坏果", idempotencyKey: randomUUID(), confirm: "yes" },
    ],
  },
  "coop.orders.$orderId.tsx": {
    action: coopOrder.action,
    as: ["coop"],
    path: (f) => `/coop/orders/${f.order.id}`,
    params: (f) => ({ orderId: f.order.id }),
    forms: (f): Form[] => [
      {
        intent: "refund",
        idempotencyKey: randomUUID(),
        scope: "units",
        orderLineId: f.line.id,
        quantity: "1",
        reason: "坏果",
        confirm: "yes",
      },
      { intent: "move", idempotencyKey: randomUUID(), allocationId: f.allocationId, toLotId: f.otherLot.id, confirm: "yes" },
      { intent: "cancel", confirm: "yes" },
      { intent: "step", step: "packed", confirm: "yes" },
    ],
  },
  "coop.payouts.$householdId.tsx": {
    action: coopPayout.action,
    as: ["coop"],
    path: (f) => `/coop/payouts/${f.householdId}`,
    params: (f) => ({ householdId: f.householdId }),
    forms: (): Form[] => [
      { amount: "1.00", method: "cash", reference: "R-1", paidOn: "2026-11-29", idempotencyKey: randomUUID(), confirm: "yes" },
    ],
    yuan: ["amount"],
  },
  "coop.picking.tsx": {
    action: coopPicking.action,
    as: ["coop"],
    path: () => "/coop/picking",
    forms: (f): Form[] => [{ intent: "step", groupOrderId: f.groupOrderId, step: "packed", confirm: "yes" }],
  },
  "coop.products.tsx": {
    action: coopProducts.action,
    as: ["coop"],
    path: () => "/coop/products",
    forms: (f): Form[] => [
      { intent: "sku", skuId: f.shop.sku.id, price: "88.00", maxPerOrder: "10", active: "on" },
      { intent: "product", productId: f.shop.product.id, feeRate: "8", active: "on" },
    ],
    yuan: ["price"],
  },
  "coop.products_.$productId.tsx": {
    action: coopProduct.action,
    as: ["coop"],
    path: (f) => `/coop/products/${f.shop.product.id}`,
    params: (f) => ({ productId: f.shop.product.id }),
    forms: (f): Form[] => [
      { intent: "product", ...product },
      { intent: "sku", skuId: f.shop.sku.id, ...sku },
      { intent: "new-sku", ...sku },
      { intent: "photo-first", imageId: f.imageId },
      { intent: "photo-remove", imageId: f.imageId, confirm: "yes" },
    ],
    yuan: ["price"],
    multipartIsAnotherForm: true,
  },
  "coop.products_.new.tsx": {
    action: coopNewProduct.action,
    as: ["coop"],
    path: () => "/coop/products/new",
    forms: (): Form[] => [{ intent: "product", ...product }],
  },
  "coop.ratings.tsx": {
    action: coopRatings.action,
    as: ["coop"],
    path: () => "/coop/ratings",
    forms: (f): Form[] => [{ intent: "hide", orderLineId: f.line.id, confirm: "yes" }],
  },
  "language.tsx": {
    action: language.action,
    as: "anonymous",
    path: () => "/language",
    forms: (): Form[] => [{ locale: "en", redirectTo: "/orders" }],
  },
  "login.tsx": {
    action: login.action,
    as: "anonymous",
    path: () => "/login",
    forms: (): Form[] => [{ login: "buyer@t.example", password: "a-long-password", redirectTo: "/orders" }],
  },
  "logout.tsx": {
    action: logout.action,
    as: "anonymous",
    path: () => "/logout",
    forms: (): Form[] => [],
    refusesBeforeParsing: { status: 302, why: "signing out reads no field: any body ends the session and goes home" },
  },
  "orders.$number.tsx": {
    action: buyerOrder.action,
    as: ["employee"],
    path: (f) => `/orders/${f.order.number}`,
    params: (f) => ({ number: f.order.number }),
    forms: (f): Form[] => [
      { intent: "pay" },
      { intent: "receive" },
      { intent: "rate", orderLineId: f.line.id, stars: "5", comment: "很甜" },
    ],
  },
  "organizer.group-orders.$id._index.tsx": {
    action: groupOrder.action,
    as: ["organizer"],
    path: (f) => `/organizer/group-orders/${f.groupOrderId}`,
    params: (f) => ({ id: f.groupOrderId }),
    forms: (): Form[] => [
      { intent: "close", confirm: "yes" },
      { intent: "deliver", confirm: "yes" },
      { intent: "cancel", confirm: "yes" },
      { intent: "extend", closesAt: "2026-12-20T18:00" },
      { intent: "settle", amount: "100.00", reference: "R-1", paidOn: "2026-11-29" },
    ],
    yuan: ["amount"],
  },
  "organizer.group-orders.new.tsx": {
    action: newGroupOrder.action,
    as: ["organizer"],
    path: () => "/organizer/group-orders/new",
    forms: (f): Form[] => [
      {
        title: "年货团购",
        unitIds: [f.shop.unit.id],
        "items[0].skuId": f.shop.sku.id,
        "items[0].include": "on",
        "items[0].limit": "5",
        opensAt: "2026-12-01T08:00",
        closesAt: "2026-12-05T20:00",
        pickupPoint: "东门",
        deliveryDate: "2026-12-08",
        paymentModes: "both",
      },
    ],
  },
  "organizer.progress.tsx": {
    action: unitProgress.action,
    as: ["organizer"],
    path: () => "/organizer/progress",
    forms: (f): Form[] => [{ intent: "pickup", groupOrderId: f.groupOrderId }],
  },
  "organizer.roster.tsx": {
    action: organizerRoster.action,
    as: ["organizer"],
    inUnit: true,
    path: () => "/organizer/roster",
    forms: roster,
    multipartIsAnotherForm: true,
  },
  "register.tsx": {
    action: register.action,
    as: "anonymous",
    path: () => "/register",
    forms: (f): Form[] => [{ name: "张三", login: "13900000001", password: "a-long-password", unitId: f.shop.unit.id, redirectTo: "/" }],
  },
  "team.alerts.tsx": {
    action: teamAlerts.action,
    as: ["team"],
    path: () => "/team/alerts",
    forms: (f): Form[] => [{ alertId: f.alertId, note: "已走访" }],
  },
  "team.cards.tsx": {
    action: teamCards.action,
    as: ["team"],
    path: () => "/team/cards",
    forms: (f): Form[] => [
      { intent: "missing", group: "一组" },
      { intent: "selected", householdIds: [f.householdId], confirm: "yes" },
    ],
  },
  "team.households.$householdId_.edit.tsx": {
    action: editHousehold.action,
    as: ["team"],
    path: (f) => `/team/households/${f.householdId}/edit`,
    params: (f) => ({ householdId: f.householdId }),
    forms: (): Form[] => [household],
  },
  "team.households.$householdId_.flags.tsx": {
    action: householdFlags.action,
    as: ["team"],
    path: (f) => `/team/households/${f.householdId}/flags`,
    params: (f) => ({ householdId: f.householdId }),
    forms: (f): Form[] => [
      { intent: "add", kind: "illness", note: "住院" },
      { intent: "resolve", flagId: f.flagId },
    ],
  },
  "team.households.$householdId_.income.tsx": {
    action: householdIncome.action,
    as: ["team"],
    path: (f) => `/team/households/${f.householdId}/income`,
    params: (f) => ({ householdId: f.householdId }),
    forms: (): Form[] => [
      { intent: "add", ...income },
      { intent: "update", ...income },
      { intent: "delete", year: income.year, source: income.source, confirm: "yes" },
    ],
    yuan: ["amount"],
  },
  "team.households.$householdId_.members.tsx": {
    action: householdMembers.action,
    as: ["team"],
    path: (f) => `/team/households/${f.householdId}/members`,
    params: (f) => ({ householdId: f.householdId }),
    forms: (f): Form[] => [
      { intent: "add", ...member },
      { intent: "update", memberId: f.memberId, ...member },
      { intent: "remove", memberId: f.memberId, confirm: "yes" },
    ],
  },
  "team.households._index.tsx": {
    action: householdLookup.action,
    as: ["team"],
    path: () => "/team/households",
    forms: (): Form[] => [{ idNumber: "11010519491231002X" }],
  },
  "team.households.new.tsx": {
    action: newHousehold.action,
    as: ["team"],
    path: () => "/team/households/new",
    forms: (): Form[] => [household],
  },
  "team.settings.tsx": {
    action: teamSettings.action,
    as: ["team"],
    path: () => "/team/settings",
    forms: (): Form[] => [{ threshold: "6000.00", dropShare: "30", noSalesDays: "90" }],
    yuan: ["threshold"],
  },
  "webhooks.stripe.tsx": {
    action: stripeWebhook.action,
    as: "anonymous",
    path: () => "/webhooks/stripe",
    forms: (): Form[] => [],
    refusesBeforeParsing: { status: 400, why: "Stripe signs its events: a body without a valid Stripe-Signature is refused unread" },
  },
};

/** Route files that export an action, however they export it. */
function actionRoutes() {
  return readdirSync(ROUTES_DIR)
    .filter((file) => /\.tsx?$/.test(file))
    .filter((file) =>
      /export\s+(async\s+)?(function|const|let)\s+action\b|export\s*\{[^}]*\baction\b/.test(
        readFileSync(path.join(ROUTES_DIR, file), "utf8"),
      ),
    )
    .sort();
}

/** Why `ref` is not a message both languages can show (a key a catalog lacks, or a value its text needs), or null. */
function untranslatable(ref: string) {
  const { key, params = {} } = parseMessageRef(ref);
  for (const locale of ["zh", "en"] as const) {
    const template = key
      .split(".")
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogs[locale]);
    if (typeof template !== "string") return `"${ref}" is not a ${locale} message`;
    const missing = [...template.matchAll(/\{\{(\w+)\}\}/g)].find(([, name]) => !(name! in params));
    if (missing) return `"${ref}": the ${locale} message needs {{${missing[1]}}}`;
  }
  return null;
}

/** Row counts of every table of every schema of ours (the job queue's too): what a refused form must leave as it was. */
async function rowCounts() {
  const tables = await db.$queryRaw<{ schema: string; name: string }[]>`
    SELECT schemaname AS schema, tablename AS name FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> '_prisma_migrations'
    ORDER BY 1, 2`;
  const counts: Record<string, number> = {};
  for (const { schema, name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "${schema}"."${name}"`);
    counts[`${schema}.${name}`] = row!.count;
  }
  return counts;
}

function request(entry: Entry, f: Fixtures, cookie: string, form: Form) {
  const url = `http://localhost${entry.path(f)}`;
  const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
  const values = Object.entries(form);
  if (values.some(([, value]) => value instanceof Blob)) {
    const body = new FormData();
    for (const [name, value] of values) for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    return new Request(url, { method: "POST", headers, body });
  }
  const body = new URLSearchParams();
  for (const [name, value] of values) for (const one of Array.isArray(value) ? value : [value as string]) body.append(name, one);
  return new Request(url, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body });
}

const looksNumeric = (value: Value) => typeof value === "string" && /^(\d+(\.\d+)?|\d{4}-\d\d-\d\d(T\d\d:\d\d)?)$/.test(value);

/** A value of the wrong type for the field: words where a number or a date belongs, a file where text belongs. */
function wrongType(value: Value, entry: Entry): Value | null {
  if (looksNumeric(value)) return "eighty-eight";
  if (entry.multipartIsAnotherForm) return null;
  return new Blob(["not text"], { type: "application/octet-stream" });
}

const overLong = (value: Value) => (looksNumeric(value) ? LONG_NUMBER : LONG_TEXT);

type Answer = { status: number; location?: string | null; data?: unknown };

/**
 * What is wrong with an answer to bad input, if anything: it must be 400 or 422 with messages (each a key both
 * catalogs translate), one of them on `field` when given.
 */
function problemsWith(answer: Answer, field?: string): string[] {
  if (![400, 422].includes(answer.status)) return [`status ${answer.status}`];
  const errors = (answer.data as { result?: { error?: Record<string, string[] | null> } } | undefined)?.result?.error ?? {};
  const onFields = Object.entries(errors).filter(([, messages]) => (messages ?? []).length > 0);
  if (onFields.length === 0) return ["no messages"];
  const problems = onFields.flatMap(([, messages]) => messages!.map(untranslatable)).filter((problem) => problem !== null);
  if (field) {
    const base = field.replace(/\[\d+\].*$/, "");
    const names = onFields.map(([name]) => name);
    if (!names.some((name) => name === field || name === base || name.startsWith(`${base}[`) || name.startsWith(`${base}.`)))
      problems.push(`no message on ${field} (messages on ${names.join(", ") || "the form"})`);
  }
  return problems;
}

let fixtures: Fixtures;

beforeAll(async () => {
  fixtures = await createFixtures();
});

describe("the action table", () => {
  it("has every route that exports an action, and only those", () => {
    expect(Object.keys(TABLE).sort()).toEqual(actionRoutes());
  });

  it("gives each route that reads a form its forms, with every yuan field in one of them", () => {
    for (const [file, entry] of Object.entries(TABLE)) {
      if (entry.refusesBeforeParsing) continue;
      const fields = entry.forms(fixtures).flatMap((form) => Object.keys(form));
      expect(fields.length, file).toBeGreaterThan(0);
      for (const field of entry.yuan ?? []) expect(fields, file).toContain(field);
    }
  });
});

describe("every action answers bad input with field messages, never a 500, and writes nothing", () => {
  for (const [file, entry] of Object.entries(TABLE)) {
    it(file, async () => {
      const f = fixtures;
      const cookie =
        entry.as === "anonymous" ? "" : (await signedIn(entry.as, f.shop.village.id, entry.inUnit ? f.shop.unit.id : null)).cookie;
      const post = (form: Form) =>
        outcome(() => entry.action({ request: request(entry, f, cookie, form), params: entry.params?.(f) ?? {}, context: {} }));
      const before = await rowCounts();
      const problems: string[] = [];
      const check = async (label: string, form: Form, field?: string) => {
        const answer = await post(form);
        for (const problem of problemsWith(answer, field)) problems.push(`${label}: ${problem}`);
      };

      if (entry.refusesBeforeParsing) {
        for (const form of [{}, { intent: LONG_TEXT }, { amount: "eighty-eight" }] as Form[]) {
          expect((await post(form)).status, `${file}: ${entry.refusesBeforeParsing.why}`).toBe(entry.refusesBeforeParsing.status);
        }
      } else {
        await check("empty form", {});
        // The first form as JSON: not a form at all, refused unread.
        const json = new Request(`http://localhost${entry.path(f)}`, {
          method: "POST",
          headers: { ...(cookie ? { Cookie: cookie } : {}), "Content-Type": "application/json" },
          body: JSON.stringify(entry.forms(f)[0]),
        });
        const asJson = await outcome(() => entry.action({ request: json, params: entry.params?.(f) ?? {}, context: {} }));
        if (asJson.status !== 415) problems.push(`a JSON body: status ${asJson.status}`);
        // A body that says it is a form but cannot be read as one (a part cut short): 400. One declared larger than any form may be: 413, unread.
        const raw = (headers: Record<string, string>, body: string) =>
          new Request(`http://localhost${entry.path(f)}`, {
            method: "POST",
            headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
            body,
          });
        const broken = await outcome(() =>
          entry.action({
            request: raw(
              { "Content-Type": "multipart/form-data; boundary=x" },
              '--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\ncut sh',
            ),
            params: entry.params?.(f) ?? {},
            context: {},
          }),
        );
        if (broken.status !== 400) problems.push(`a multipart body cut short: status ${broken.status}`);
        const huge = await outcome(() =>
          entry.action({
            request: raw({ "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(100 * 1024 * 1024) }, "intent=x"),
            params: entry.params?.(f) ?? {},
            context: {},
          }),
        );
        if (huge.status !== 413) problems.push(`a body declared 100 MB long: status ${huge.status}`);
        for (const form of entry.forms(f)) {
          const label = typeof form.intent === "string" ? `${form.intent} ` : "";
          for (const [field, value] of Object.entries(form)) {
            const wrong = wrongType(value, entry);
            if (wrong !== null) await check(`${label}${field} of the wrong type`, { ...form, [field]: wrong }, field);
            await check(`${label}${field} 10,000 characters long`, { ...form, [field]: overLong(value) }, field);
          }
          for (const field of (entry.yuan ?? []).filter((name) => name in form)) {
            for (const digits of YUAN_DIGITS) {
              await check(`${label}${field} of ${digits.length} digits`, { ...form, [field]: digits }, field);
              await check(`${label}${field} of ${digits.length} digits and fen`, { ...form, [field]: `${digits}.00` }, field);
            }
          }
        }
      }
      expect(problems.join("\n")).toBe("");
      expect(await rowCounts(), "rows written").toEqual(before);
    });
  }
});
