// The signed-in page cache (app/utils/signed-in-page-cache.server.ts) serves each employee the home page Remix
// renders for them. Two Express apps serve the same build, made of the shop's own root, home route and document
// entry (React's real render, Remix's real data script): one is Remix alone, the other puts the cache in front. The
// same employee's page from each is compared whole: the HTML byte for byte, and the loaders' data script decoded
// (turbo-stream writes a value that occurs twice once, so equal data need not be equal text). Date is frozen, so
// both renders say the same "now" and a copy goes stale only when the test moves the clock.
import type { AddressInfo } from "node:net";
import { createRequestHandler } from "@remix-run/express";
import { decodeViaTurboStream } from "@remix-run/react/dist/single-fetch.js";
import express from "express";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createUserSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import * as entry from "~/entry.server";
import * as root from "~/root";
import * as home from "~/routes/_index";
import * as product from "~/routes/products.$slug";
import { CATALOG_PAGES, forgetCachedPages } from "~/utils/page-cache.server";
import { signedInPageCache } from "~/utils/signed-in-page-cache.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createGroupOrder, createShop } from "../fixtures";
import { testServerBuild } from "../server-build";

const TTL_MS = 2_000;

/** The home loader's runs, and whether the next one fails (as a page whose database went away would). */
const homeLoads = { count: 0, failNext: false };

const manifestRoute = (id: string, parentId: string | undefined, path: string | undefined) => ({
  id,
  parentId,
  path,
  index: path === undefined,
  module: `/${id}.js`,
  hasAction: false,
  hasLoader: true,
  hasClientAction: false,
  hasClientLoader: false,
  hasErrorBoundary: !parentId,
  imports: [],
  css: [],
});

const build = testServerBuild({
  entry,
  manifestRoutes: {
    root: manifestRoute("root", undefined, ""),
    "routes/_index": manifestRoute("routes/_index", "root", undefined),
    "routes/products.$slug": manifestRoute("routes/products.$slug", "root", "products/:slug"),
  },
  routes: {
    root: { id: "root", path: "", module: root },
    "routes/_index": {
      id: "routes/_index",
      parentId: "root",
      index: true,
      module: {
        ...home,
        loader: (args: Parameters<typeof home.loader>[0]) => {
          homeLoads.count++;
          if (homeLoads.failNext) {
            homeLoads.failNext = false;
            throw new Error("the database went away");
          }
          return home.loader(args);
        },
      },
    },
    "routes/products.$slug": { id: "routes/products.$slug", parentId: "root", path: "products/:slug", module: product },
  },
});

// Each request names its own CSP nonce, so a copy can be seen to carry the nonce of the request it answers.
const getLoadContext = (req: express.Request) => ({ cspNonce: req.get("x-test-nonce") ?? "", clientIp: "127.0.0.1", requestId: "test" });

async function serve(cached: boolean) {
  const app = express();
  if (cached) app.use(signedInPageCache({ ttlMs: TTL_MS, paths: CATALOG_PAGES, build, mode: "production", getLoadContext }));
  const remix = createRequestHandler({ build, mode: "production", getLoadContext });
  app.all("*", (req, res, next) => {
    void remix(req, res, next).catch(next);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

let remixAlone: Awaited<ReturnType<typeof serve>>;
let withCache: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  [remixAlone, withCache] = await Promise.all([serve(false), serve(true)]);
});
afterAll(() => {
  remixAlone.close();
  withCache.close();
});

let shop: Awaited<ReturnType<typeof createShop>>;
beforeEach(async () => {
  await truncateAllTables();
  forgetCachedPages();
  shop = await createShop();
  await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  homeLoads.count = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

async function employee({
  name,
  cart = 0,
  unitId = shop.unit.id,
  roles = ["employee"],
}: {
  name: string;
  cart?: number;
  unitId?: string;
  roles?: Role[];
}) {
  const user = await db.user.create({
    data: { name, email: `${Math.random()}@test.example`, passwordHash: "x", unitId, roles: { create: roles.map((role) => ({ role })) } },
  });
  if (cart > 0) {
    await db.cart.create({
      data: { userId: user.id, items: { create: [{ skuId: shop.sku.id, quantity: cart, seenPriceFen: shop.sku.priceFen }] } },
    });
  }
  const session = await createUserSession(user.id, "/");
  return { user, cookie: session.headers.get("Set-Cookie")!.split(";")[0]! };
}

let nonces = 0;

async function homePage(origin: string, cookie: string, language = "zh-CN", path = "/") {
  const nonce = `nonce${++nonces}`;
  const response = await fetch(`${origin}${path}`, { headers: { Cookie: cookie, "Accept-Language": language, "x-test-nonce": nonce } });
  const html = await response.text();
  const headers = Object.fromEntries(["content-type", "cache-control", "vary"].map((name) => [name, response.headers.get(name)]));
  return { status: response.status, headers, html, nonce, hit: response.headers.get("x-page-cache") === "hit" };
}

const DATA_SCRIPT = /window\.__remixContext\.streamController\.enqueue\(("(?:[^"\\]|\\.)*")\);/g;

/** The page with its data script's text taken out, and that data decoded as the browser would. */
async function readPage(html: string) {
  const streamed = [...html.matchAll(DATA_SCRIPT)].map((match) => JSON.parse(match[1]!) as string).join("");
  const { value } = await decodeViaTurboStream(new Response(streamed).body!, globalThis);
  return { markup: html.replace(DATA_SCRIPT, "enqueue(<data>);"), data: value };
}

/** Asks both apps for the employee's home page; the cached app's answer must be what Remix alone answers. */
async function expectSamePage(cookie: string, language?: string, path = "/") {
  const alone = await homePage(remixAlone.origin, cookie, language, path);
  const cached = await homePage(withCache.origin, cookie, language, path);
  expect(cached.status).toBe(alone.status);
  expect(cached.headers).toEqual(alone.headers);
  const [a, c] = await Promise.all([readPage(alone.html), readPage(cached.html)]);
  expect(c.markup.replaceAll(cached.nonce, "<nonce>")).toBe(a.markup.replaceAll(alone.nonce, "<nonce>"));
  expect(c.data).toEqual(a.data);
  expect(cached.html).toContain(`nonce="${cached.nonce}"`);
  expect(cached.html).not.toMatch(/standin/);
  return { hit: cached.hit, html: cached.html, data: c.data };
}

describe("the signed-in home page from a copy", () => {
  it("is the page Remix renders for each employee of a unit, rendered once for all of them", async () => {
    const a = await employee({ name: `</script><script>alert("林")</script>`, cart: 2 });
    const b = await employee({ name: `Tom & "Jerry" O'Neil\u2028<b>`, cart: 5 });

    const first = await expectSamePage(a.cookie);
    expect(first.hit).toBe(false);
    expect(first.data).toMatchObject({ loaderData: { root: { user: { id: a.user.id, name: a.user.name }, cartCount: 2 } } });
    const loadsBefore = homeLoads.count;
    const second = await expectSamePage(b.cookie);
    const third = await expectSamePage(a.cookie);
    expect([second.hit, third.hit]).toEqual([true, true]);
    expect(second.html).not.toContain("Jerry&quot; O&#x27;Neil\u2028<b>");
    expect(second.data).toMatchObject({ loaderData: { root: { user: { id: b.user.id, name: b.user.name }, cartCount: 5 } } });
    expect(second.html).not.toContain(a.user.id);
    // Remix alone rendered the two pages compared against; the cached app rendered none.
    expect(homeLoads.count - loadsBefore).toBe(2);
  });

  it("is kept per unit, roles, language and empty or not cart", async () => {
    const otherUnit = await db.unit.create({ data: { code: "U-OTHER", name: "二处", nameEn: "Second" } });
    const pages = [
      { who: await employee({ name: "甲", cart: 1 }) },
      { who: await employee({ name: "乙", cart: 0 }) },
      { who: await employee({ name: "丙", cart: 1, roles: ["employee", "organizer"] }) },
      { who: await employee({ name: "丁", cart: 1, unitId: otherUnit.id }) },
      { who: await employee({ name: "甲", cart: 1 }), language: "en" },
    ];
    for (const { who, language } of pages) expect((await expectSamePage(who.cookie, language)).hit).toBe(false);
    // The other unit's employee sees no group order of the first unit's.
    const other = await homePage(withCache.origin, pages[3]!.who.cookie);
    expect(other.hit).toBe(true);
    const groupOrders = async (html: string) =>
      ((await readPage(html)).data as { loaderData: Record<string, { groupOrders?: unknown[] }> }).loaderData["routes/_index"]!.groupOrders;
    expect(await groupOrders(other.html)).toEqual([]);
    expect(await groupOrders((await homePage(withCache.origin, pages[0]!.who.cookie)).html)).toHaveLength(1);
  });

  it("serves product pages the same way: each employee's own, one render for the unit", async () => {
    const path = `/products/${shop.product.slug}`;
    const a = await employee({ name: `<img src=x onerror="alert('甲')">`, cart: 1 });
    const b = await employee({ name: "乙 & 丙", cart: 4 });
    expect((await expectSamePage(a.cookie, undefined, path)).hit).toBe(false);
    const second = await expectSamePage(b.cookie, undefined, path);
    expect(second.hit).toBe(true);
    expect(second.data).toMatchObject({ loaderData: { root: { user: { id: b.user.id, name: b.user.name }, cartCount: 4 } } });
    // An unknown product is Remix's 404, never kept.
    const missing = await homePage(withCache.origin, a.cookie, undefined, "/products/no-such-product");
    expect([missing.status, missing.hit]).toEqual([404, false]);
    expect(missing.html).not.toMatch(/standin/);
  });

  it("goes stale after its TTL and when the catalog changes", async () => {
    const a = await employee({ name: "甲", cart: 1 });
    expect((await expectSamePage(a.cookie)).hit).toBe(false);
    expect((await expectSamePage(a.cookie)).hit).toBe(true);
    vi.setSystemTime(Date.now() + TTL_MS);
    expect((await expectSamePage(a.cookie)).hit).toBe(false);
    expect((await expectSamePage(a.cookie)).hit).toBe(true);
    forgetCachedPages();
    expect((await expectSamePage(a.cookie)).hit).toBe(false);
  });

  it("is never given for a session that has ended; that visitor gets the anonymous page", async () => {
    const a = await employee({ name: "甲", cart: 1 });
    await expectSamePage(a.cookie);
    await db.session.deleteMany({ where: { userId: a.user.id } });
    const page = await expectSamePage(a.cookie);
    expect(page.hit).toBe(false);
    expect(page.data).toMatchObject({ loaderData: { root: { user: null } } });
  });

  it("is not made from a page that failed: that request is answered for the real employee, and nothing is kept", async () => {
    const a = await employee({ name: "甲", cart: 1 });
    homeLoads.failNext = true;
    const answer = await homePage(withCache.origin, a.cookie);
    expect(answer.status).toBe(200);
    expect(answer.hit).toBe(false);
    expect(answer.html).not.toMatch(/standin/);
    expect((await readPage(answer.html)).data).toMatchObject({ loaderData: { root: { user: { id: a.user.id, name: "甲" } } } });
    expect((await expectSamePage(a.cookie)).hit).toBe(false);
    expect((await expectSamePage(a.cookie)).hit).toBe(true);
  });
});
