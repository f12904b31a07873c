// The thin checkout POST in front of Remix (app/utils/checkout-post.server.ts) answers exactly as Remix alone does.
// Two Express apps serve the same server build (the real checkout route module under a stub root, wrapped as
// server.ts wraps the build): one is Remix alone, the other puts the thin handler in front. Two buyers with the same
// cart send the same form, one to each app, and the answers are compared whole: status, the headers Remix sets, and
// the body byte for byte (order numbers aside, which differ per order). Answers Remix must render (the page with
// the form's messages) are rendered by a stub entry that writes what it was given, so those are compared too.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createRequestHandler } from "@remix-run/express";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUserSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import * as checkoutRoute from "~/routes/checkout";
import { checkoutPost, type CheckoutOutcome } from "~/utils/checkout-post.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createGroupOrder, createLot, createShop } from "../fixtures";
import { withRateLimits } from "../route-helpers";
import { testServerBuild } from "../server-build";

/** The stub entry writes, as JSON, what Remix asked it to render: the status, the action's data and any error. */
const build = testServerBuild({
  entry: {
    streamTimeout: 5_000,
    default: (
      _request: Request,
      status: number,
      headers: Headers,
      context: { staticHandlerContext: { actionData: unknown; errors: unknown } },
    ) => {
      headers.set("Content-Type", "application/json");
      const { actionData, errors } = context.staticHandlerContext;
      return new Response(JSON.stringify({ status, actionData, errors }), { status, headers });
    },
  },
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/checkout": { id: "routes/checkout", parentId: "root", path: "checkout", module: checkoutRoute },
  },
});

const getLoadContext = (_req: express.Request, res: express.Response) => ({
  cspNonce: "",
  clientIp: "127.0.0.1",
  requestId: "test",
  checkoutOutcome: res.locals.checkoutOutcome as CheckoutOutcome | undefined,
});

async function serve(thin: boolean) {
  const app = express();
  if (thin) app.post(["/checkout", "/checkout.data"], checkoutPost({ build, mode: "production", getLoadContext }));
  const remix = createRequestHandler({ build, mode: "production", getLoadContext });
  const served = { byRemix: 0 };
  app.all("*", (req, res, next) => {
    served.byRemix++;
    void remix(req, res, next).catch(next);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, close: () => server.close() };
}

let remixAlone: Awaited<ReturnType<typeof serve>>;
let thinInFront: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  [remixAlone, thinInFront] = await Promise.all([serve(false), serve(true)]);
});
afterAll(() => {
  remixAlone.close();
  thinInFront.close();
});

let shop: Awaited<ReturnType<typeof createShop>>;
beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
});

async function buyer({ quantity = 1, unitId = shop.unit.id as string | null } = {}) {
  const user = await createEmployee(unitId);
  if (quantity > 0) {
    await db.cart.create({
      data: { userId: user.id, items: { create: [{ skuId: shop.sku.id, quantity, seenPriceFen: shop.sku.priceFen }] } },
    });
  }
  const session = await createUserSession(user.id, "/");
  return { user, cookie: session.headers.get("Set-Cookie")!.split(";")[0]! };
}

type Answer = { status: number; headers: Record<string, string | null>; body: string };
const COMPARED_HEADERS = ["content-type", "location", "x-remix-response", "cache-control", "set-cookie", "retry-after"];

async function post(origin: string, path: string, cookie: string | null, form: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${origin}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(form),
  });
  const headers = Object.fromEntries(COMPARED_HEADERS.map((name) => [name, response.headers.get(name)]));
  return { status: response.status, headers, body: await response.text() };
}

/** Order numbers differ per order; everything else must not. */
const sameOrder = (answer: Answer) => JSON.parse(JSON.stringify(answer).replace(/AS\d{6}-[0-9A-F]{8}/g, "AS<number>")) as Answer;

/**
 * The same submission from two buyers in the same state, one to each app: the answers, side by side. A key is the
 * buyer's own (orders are found by buyer and key), so both may send the same one.
 */
async function bothWays(path: string, cookies: [string | null, string | null], form: (i: number) => Record<string, string>) {
  const alone = await post(remixAlone.origin, path, cookies[0], form(0));
  const before = thinInFront.served.byRemix;
  const thin = await post(thinInFront.origin, path, cookies[1], form(1));
  return { alone, thin, thinHandedOver: thinInFront.served.byRemix > before };
}

const groupForm = (groupId: string) => (key: string) => ({
  idempotencyKey: key,
  fulfilment: `group:${groupId}`,
  paymentMethod: "unit_settlement",
});

describe("the thin checkout POST answers as Remix does", () => {
  for (const path of ["/checkout.data", "/checkout"]) {
    it(`${path}: the placed order, and the same order again for a resubmission`, async () => {
      await createLot(shop, 10);
      const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
      const [a, b] = [await buyer(), await buyer()];
      const form = groupForm(group.id)(randomUUID());
      const first = await bothWays(path, [a.cookie, b.cookie], () => form);
      expect(first.alone.status).toBe(path === "/checkout.data" ? 202 : 302);
      expect(sameOrder(first.thin)).toEqual(sameOrder(first.alone));
      expect(first.thinHandedOver).toBe(false);

      // Each buyer resubmits to the other app: the answer names their own order, whichever app answers.
      const again = await bothWays(path, [b.cookie, a.cookie], () => form);
      expect(again.alone).toEqual(first.thin);
      expect(again.thin).toEqual(first.alone);
      expect(again.thinHandedOver).toBe(false);
      expect(await db.order.count()).toBe(2);
      expect((await db.stockLot.findFirstOrThrow()).quantityAllocated).toBe(2);
    });
  }

  it("/checkout.data: sold out, a changed price and a malformed form (409, 409, 400) with the same messages", async () => {
    await createLot(shop, 1);
    const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
    const [a, b] = [await buyer({ quantity: 2 }), await buyer({ quantity: 2 })];
    const form = groupForm(group.id);
    const key = randomUUID();
    const soldOut = await bothWays("/checkout.data", [a.cookie, b.cookie], () => form(key));
    expect(soldOut.alone.status).toBe(409);
    expect(soldOut.thin).toEqual(soldOut.alone);
    expect(soldOut.thinHandedOver).toBe(false);

    // Sold out is looked at first: with stock again, the changed price is what stands in the way.
    await createLot(shop, 10);
    await db.sku.update({ where: { id: shop.sku.id }, data: { priceFen: shop.sku.priceFen + 100 } });
    const changed = await bothWays("/checkout.data", [a.cookie, b.cookie], () => form(key));
    expect(changed.alone.status).toBe(409);
    expect(changed.alone.body).toContain("price_changed");
    expect(changed.thin).toEqual(changed.alone);
    expect(changed.thinHandedOver).toBe(false);

    const malformed = await bothWays("/checkout.data", [a.cookie, b.cookie], () => ({ ...form("not-a-uuid"), paymentMethod: "cash" }));
    expect(malformed.alone.status).toBe(400);
    expect(malformed.thin).toEqual(malformed.alone);
    expect(malformed.thinHandedOver).toBe(false);
    expect(await db.order.count()).toBe(0);
  });

  it("/checkout: a refusal is the page with the form's messages, rendered by Remix once", async () => {
    await createLot(shop, 1);
    const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
    const [a, b] = [await buyer({ quantity: 2 }), await buyer({ quantity: 2 })];
    const form = groupForm(group.id)(randomUUID());
    // One checkout per buyer allowed: a second run of the action for the same request would be refused with 429.
    const soldOut = await withRateLimits(() => bothWays("/checkout", [a.cookie, b.cookie], () => form), { RATE_LIMIT_CHECKOUT: "1/60" });
    expect(soldOut.alone.status).toBe(409);
    expect(JSON.parse(soldOut.alone.body)).toMatchObject({
      actionData: { "routes/checkout": { result: { error: { "": [`checkout.problems.sold_out?skuId=${shop.sku.id}&available=1`] } } } },
    });
    expect(soldOut.thin).toEqual(soldOut.alone);
    expect(soldOut.thinHandedOver).toBe(true);
    expect(await db.order.count()).toBe(0);
  });

  for (const path of ["/checkout.data", "/checkout"]) {
    it(`${path}: signed out, not an employee, rate limited and not a form`, async () => {
      const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
      const key = randomUUID();
      const form = () => groupForm(group.id)(key);
      const signedOut = await bothWays(path, [null, null], form);
      expect(signedOut.alone.status).toBe(path === "/checkout.data" ? 202 : 302);
      expect(signedOut.thin).toEqual(signedOut.alone);
      expect(signedOut.thinHandedOver).toBe(true);

      const coop = await createEmployee(null);
      await db.userRole.deleteMany({ where: { userId: coop.id } });
      await db.userRole.create({ data: { userId: coop.id, role: "coop" } });
      const coopCookie = (await createUserSession(coop.id, "/")).headers.get("Set-Cookie")!.split(";")[0]!;
      const forbidden = await bothWays(path, [coopCookie, coopCookie], form);
      expect(forbidden.alone.status).toBe(403);
      expect(forbidden.thin).toEqual(forbidden.alone);

      const [a, b] = [await buyer({ quantity: 0 }), await buyer({ quantity: 0 })];
      const limited = await withRateLimits(
        async () => {
          await bothWays(path, [a.cookie, b.cookie], form);
          return bothWays(path, [a.cookie, b.cookie], form);
        },
        { RATE_LIMIT_CHECKOUT: "1/60" },
      );
      expect(limited.alone.status).toBe(429);
      expect(limited.thin).toEqual(limited.alone);

      const json = async (origin: string) => {
        const response = await fetch(`${origin}${path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Cookie: a.cookie },
          body: JSON.stringify(form()),
        });
        return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
      };
      const [alone, thin] = [await json(remixAlone.origin), await json(thinInFront.origin)];
      expect(alone.status).toBe(415);
      expect(thin).toEqual(alone);
    });
  }
});
