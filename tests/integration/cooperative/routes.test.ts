import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { loader as lotsLoader, action as lotsAction } from "~/routes/coop.lots._index";
import { action as orderAction, loader as orderLoader } from "~/routes/coop.orders.$orderId";
import { loader as ordersLoader } from "~/routes/coop.orders._index";
import { action as payoutAction, loader as payoutLoader } from "~/routes/coop.payouts.$householdId";
import { loader as payoutsLoader } from "~/routes/coop.payouts._index";
import { loader as pickingLoader } from "~/routes/coop.picking";
import { action as productsAction, loader as productsLoader } from "~/routes/coop.products";
import { loader as traceLoader } from "~/routes/trace.$code";
import { messageRef } from "~/i18n/i18n";
import { createShop } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";
import { answerOf, DELIVERY_FEE_FEN, expectLedgerInvariants, paidOrder, PRICE_FEN, useFakeStripe } from "./fixtures";

const { stripe } = useFakeStripe();

const cookieFor = async (roles: Role[], villageId: string | null) => (await signedIn(roles, villageId)).cookie;
const request = routeRequest;

describe("coop console access", () => {
  it("opens every page to a coop user of the village only", async () => {
    const placed = await paidOrder(2, [5]);
    const household = placed.lots[0]!.householdId;
    const other = await createShop();
    const cookies = {
      coop: await cookieFor(["coop"], placed.shop.village.id),
      otherVillage: await cookieFor(["coop"], other.village.id),
      employee: await cookieFor(["employee"], placed.shop.village.id),
      team: await cookieFor(["team"], placed.shop.village.id),
    };
    const pages = [
      { path: "/coop/orders", run: (r: Request) => ordersLoader({ request: r, params: {}, context: {} }), scoped: false },
      {
        path: `/coop/orders/${placed.order.id}`,
        run: (r: Request) => orderLoader({ request: r, params: { orderId: placed.order.id }, context: {} }),
        scoped: true,
      },
      { path: "/coop/lots", run: (r: Request) => lotsLoader({ request: r, params: {}, context: {} }), scoped: false },
      { path: "/coop/picking", run: (r: Request) => pickingLoader({ request: r, params: {}, context: {} }), scoped: false },
      { path: "/coop/products", run: (r: Request) => productsLoader({ request: r, params: {}, context: {} }), scoped: false },
      { path: "/coop/payouts", run: (r: Request) => payoutsLoader({ request: r, params: {}, context: {} }), scoped: false },
      {
        path: `/coop/payouts/${household}`,
        run: (r: Request) => payoutLoader({ request: r, params: { householdId: household }, context: {} }),
        scoped: true,
      },
    ];
    for (const page of pages) {
      expect((await outcome(() => page.run(request(page.path, cookies.coop)))).status, page.path).toBe(200);
      expect((await outcome(() => page.run(request(page.path, cookies.employee)))).status, page.path).toBe(403);
      expect((await outcome(() => page.run(request(page.path, cookies.team)))).status, page.path).toBe(403);
      expect((await outcome(() => page.run(request(page.path, "")))).status, page.path).toBe(302);
      // Another village's coop user sees its own (empty) lists, and is refused this village's records.
      if (page.scoped) expect((await outcome(() => page.run(request(page.path, cookies.otherVillage)))).status, page.path).toBe(403);
    }
    const otherLists = await outcome(() =>
      ordersLoader({ request: request("/coop/orders", cookies.otherVillage), params: {}, context: {} }),
    );
    expect((otherLists.data as { orders: unknown[] }).orders).toEqual([]);

    const refundForm = { intent: "refund", idempotencyKey: "k-outsider-1", scope: "full", reason: "坏果", confirm: "yes" };
    const refused = await outcome(() =>
      orderAction({
        request: request(`/coop/orders/${placed.order.id}`, cookies.otherVillage, refundForm),
        params: { orderId: placed.order.id },
        context: {},
      }),
    );
    expect(refused.status).toBe(403);
    expect(stripe.refundRequests).toHaveLength(0);
  });
});

describe("the public trace page", () => {
  it("shows product, lot, dates and village, the household only as consented, and 404 for unknown codes", async () => {
    const placed = await paidOrder(1, [5]);
    const lot = placed.lots[0]!;
    await db.household.update({
      where: { id: lot.householdId },
      data: { headName: "王秘密", phone: "13911112222", address: "三组 8 号", headIdMasked: "1304**********1234" },
    });
    const open = (code: string) => outcome(() => traceLoader({ request: request(`/trace/${code}`, ""), params: { code }, context: {} }));
    const hidden = await open(lot.traceCode);
    expect(hidden.status).toBe(200);
    expect(hidden.data).toMatchObject({
      lot: { code: lot.code, producer: null, village: { name: "岸上村" }, sku: { product: { nameZh: "无公害桃" } } },
    });
    await db.household.update({
      where: { id: lot.householdId },
      data: { consentToDisplay: true, displayName: "王家桃园", story: "种桃二十年" },
    });
    const shown = await open(lot.traceCode);
    expect(shown.data).toMatchObject({ lot: { producer: { displayName: "王家桃园", story: "种桃二十年" } } });
    const text = JSON.stringify(shown.data);
    for (const secret of ["王秘密", "13911112222", "三组 8 号", "1304", lot.householdId]) expect(text).not.toContain(secret);
    expect((await open("no-such-code")).status).toBe(404);
  });
});

describe("coop forms", () => {
  it("refunds only after confirmation, answering field errors first", async () => {
    const placed = await paidOrder(3, [5]);
    const cookie = await cookieFor(["coop"], placed.shop.village.id);
    const send = (form: Record<string, string>) =>
      answerOf(() =>
        orderAction({
          request: request(`/coop/orders/${placed.order.id}`, cookie, form),
          params: { orderId: placed.order.id },
          context: {},
        }),
      );
    const base = {
      intent: "refund",
      idempotencyKey: "route-key-1",
      scope: "units",
      orderLineId: placed.line.id,
      quantity: "1",
      reason: "坏果",
    };
    const unconfirmed = await send(base);
    expect(unconfirmed).toMatchObject({ status: 422, errors: { confirm: ["cooperative.errors.confirm"] } });
    expect(await send({ ...base, reason: "", confirm: "yes" })).toMatchObject({
      status: 422,
      errors: { reason: ["cooperative.errors.reason"] },
    });
    expect(await send({ ...base, quantity: "9", confirm: "yes" })).toMatchObject({
      status: 409,
      errors: { quantity: [messageRef("cooperative.errors.refund.too_many_units", { count: 3 })] },
    });
    expect(stripe.refundRequests).toHaveLength(0);
    expect(await send({ ...base, confirm: "yes" })).toMatchObject({
      status: 200,
      done: messageRef("cooperative.refund.done", { amount: "¥33.33" }),
    });
    expect(await send({ ...base, confirm: "yes" })).toMatchObject({ status: 200 }); // the same form again: replayed
    expect(stripe.refundRequests).toHaveLength(1);
    expect(await send({ ...base, idempotencyKey: "route-key-2", scope: "full", confirm: "yes" })).toMatchObject({ status: 200 });
    expect(stripe.refunds.reduce((s, r) => s + r.amount, 0)).toBe(3 * PRICE_FEN + DELIVERY_FEE_FEN);
    await expectLedgerInvariants(placed.order.id);
  });

  it("refuses a payout above the balance and a malformed amount", async () => {
    const placed = await paidOrder(3, [5]); // household balance 9199 fen
    const household = placed.lots[0]!.householdId;
    const cookie = await cookieFor(["coop"], placed.shop.village.id);
    const send = (form: Record<string, string>) =>
      answerOf(() =>
        payoutAction({ request: request(`/coop/payouts/${household}`, cookie, form), params: { householdId: household }, context: {} }),
      );
    const base = { method: "cash", reference: "R-1", paidOn: "2026-07-12", idempotencyKey: "payout-key-1", confirm: "yes" };
    expect(await send({ ...base, amount: "1.234" })).toMatchObject({
      status: 422,
      errors: { amount: ["cooperative.errors.amount"] },
    });
    expect(await send({ ...base, amount: "-5" })).toMatchObject({ status: 422 });
    expect(await send({ ...base, amount: "92.00" })).toMatchObject({
      status: 409,
      errors: { amount: [messageRef("cooperative.errors.overBalance", { amount: "¥91.99" })] },
    });
    expect(await send({ ...base, amount: "91.99" })).toMatchObject({
      status: 200,
      done: messageRef("cooperative.payouts.done", { amount: "¥0.00" }),
    });
  });

  it("receives a lot with field errors for bad dates and quantities", async () => {
    const shop = await createShop();
    const cookie = await cookieFor(["coop"], shop.village.id);
    const household = await db.household.create({
      data: { villageId: shop.village.id, code: "AS-017", headName: "x", memberCount: 1, villageGroup: "一组", status: "other" },
    });
    const send = (form: Record<string, string>) =>
      answerOf(() => lotsAction({ request: request("/coop/lots", cookie, form), params: {}, context: {} }));
    const base = {
      intent: "receive",
      skuId: shop.sku.id,
      householdId: household.id,
      quantity: "12",
      producedOn: "2026-07-11",
      receivedOn: "2026-07-12",
      bestBefore: "2026-07-19",
      idempotencyKey: randomUUID(),
    };
    expect(await send({ ...base, quantity: "1.5", bestBefore: "2026-07-01" })).toMatchObject({
      status: 422,
      errors: { quantity: ["cooperative.errors.quantity"], bestBefore: ["cooperative.errors.bestBeforeBeforeReceived"] },
    });
    expect(await send({ ...base, idempotencyKey: "" })).toMatchObject({
      status: 422,
      errors: { idempotencyKey: ["errors.staleForm"] },
    });
    const received = await send(base);
    expect(received).toMatchObject({ status: 200, done: expect.stringMatching(/^cooperative\.lots\.received\?code=L-0712-/) });
    expect(await send(base)).toMatchObject({ status: 200, done: received.done });
    expect(await db.stockLot.count()).toBe(1);
  });

  it("edits a SKU's price and limit and a product's fee rate, for the coop's own products only", async () => {
    const shop = await createShop();
    const other = await createShop();
    const cookie = await cookieFor(["coop"], shop.village.id);
    const send = (form: Record<string, string>) =>
      answerOf(() => productsAction({ request: request("/coop/products", cookie, form), params: {}, context: {} }));
    expect(await send({ intent: "sku", skuId: shop.sku.id, price: "12.345", maxPerOrder: "0" })).toMatchObject({
      status: 422,
      errors: { price: ["cooperative.errors.amount"], maxPerOrder: ["cooperative.errors.quantity"] },
    });
    expect(await send({ intent: "sku", skuId: shop.sku.id, price: "99.9", maxPerOrder: "5", active: "on" })).toMatchObject({
      status: 200,
      done: "cooperative.products.saved",
    });
    expect(
      await db.sku.findUniqueOrThrow({ where: { id: shop.sku.id }, select: { priceFen: true, maxPerOrder: true, active: true } }),
    ).toEqual({ priceFen: 9990, maxPerOrder: 5, active: true });
    expect(await send({ intent: "product", productId: shop.product.id, feeRate: "101" })).toMatchObject({ status: 422 });
    expect(await send({ intent: "product", productId: shop.product.id, feeRate: "7.5", active: "on" })).toMatchObject({ status: 200 });
    expect((await db.product.findUniqueOrThrow({ where: { id: shop.product.id } })).feeRateBp).toBe(750);
    expect(await send({ intent: "sku", skuId: other.sku.id, price: "1", maxPerOrder: "1" })).toMatchObject({ status: 403 });
    expect((await db.sku.findUniqueOrThrow({ where: { id: other.sku.id } })).priceFen).toBe(other.sku.priceFen);
  });
});
