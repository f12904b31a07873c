// The action contract (docs/decisions/0008) for every cooperative form: an empty form, a value of the wrong type and
// a value far over its limit are answered 400/422 with messages on the fields (never a 500), every message is a key
// both languages translate with all the values it needs, and nothing is written.
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { catalogs } from "~/i18n/i18n.server";
import { parseMessageRef } from "~/i18n/i18n";
import { action as lotsAction } from "~/routes/coop.lots._index";
import { action as orderAction } from "~/routes/coop.orders.$orderId";
import { action as payoutAction } from "~/routes/coop.payouts.$householdId";
import { action as pickingAction } from "~/routes/coop.picking";
import { action as productsAction } from "~/routes/coop.products";
import { action as editProductAction } from "~/routes/coop.products_.$productId";
import { action as newProductAction } from "~/routes/coop.products_.new";
import { routeRequest, signedIn } from "../route-helpers";
import { answerOf, paidOrder, useFakeStripe } from "./fixtures";

useFakeStripe();

/** Longer than any field allows, and still far under the form size limit. */
const LONG = "长".repeat(5000);
const NUMBER_TOO_BIG = "9".repeat(400);

type Form = Record<string, string>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

/** The text of a message in one language, with its values filled in; throws for a key the catalog lacks. */
function translate(locale: "zh" | "en", ref: string) {
  const { key, params = {} } = parseMessageRef(ref);
  const template = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogs[locale]);
  if (typeof template !== "string") throw new Error(`${ref}: no ${locale} message`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`${ref}: the ${locale} message needs {{${name}}}`);
    return String(params[name]);
  });
}

async function writes() {
  const [audit, lots, writeOffs, refunds, payouts, products, skus, images] = await Promise.all([
    db.auditLog.count(),
    db.stockLot.count(),
    db.stockWriteOff.count(),
    db.refund.count(),
    db.payout.count(),
    db.product.count(),
    db.sku.count(),
    db.productImage.count(),
  ]);
  return { audit, lots, writeOffs, refunds, payouts, products, skus, images };
}

async function expectRefused(name: string, run: () => Promise<unknown>) {
  const answer = await answerOf(run);
  expect([400, 422], `${name}: status`).toContain(answer.status);
  const messages = Object.values(answer.errors).flatMap((list) => list ?? []);
  expect(messages.length, `${name}: field messages`).toBeGreaterThan(0);
  for (const message of messages) {
    const zh = translate("zh", message);
    expect(zh, `${name}: ${message}`).toMatch(/[\u4e00-\u9fff]/);
    expect(translate("en", message), `${name}: ${message}`).not.toBe("");
  }
}

describe("every cooperative action answers bad input with field messages", () => {
  it("refuses empty, wrongly typed and over-long forms with 400/422 and writes nothing", async () => {
    const placed = await paidOrder(2, [5]);
    const { shop, order, line, lots } = placed;
    const household = lots[0]!.householdId;
    const { cookie } = await signedIn(["coop"], shop.village.id);
    const image = await db.productImage.create({
      data: { productId: shop.product.id, path: "/images/peaches.svg", altZh: "桃", altEn: "Peaches", width: 4, height: 3 },
    });
    const key = randomUUID();

    const cases: { name: string; path: string; params: Record<string, string>; action: Action; forms: Form[] }[] = [
      {
        name: "order",
        path: `/coop/orders/${order.id}`,
        params: { orderId: order.id },
        action: orderAction,
        forms: [
          { intent: "explode" },
          { intent: LONG },
          { intent: "refund" },
          { intent: "refund", idempotencyKey: key, scope: "all", orderLineId: line.id, quantity: "two", reason: "坏果", confirm: "maybe" },
          {
            intent: "refund",
            idempotencyKey: LONG,
            scope: "units",
            orderLineId: LONG,
            quantity: NUMBER_TOO_BIG,
            reason: LONG,
            confirm: "yes",
          },
          { intent: "move" },
          { intent: "move", idempotencyKey: key, allocationId: "", toLotId: "", confirm: "no" },
          { intent: "move", idempotencyKey: LONG, allocationId: LONG, toLotId: LONG, confirm: "yes" },
          { intent: "cancel" },
          { intent: "cancel", confirm: LONG },
          { intent: "step", step: "teleported", confirm: "yes" },
          { intent: "step", step: LONG, confirm: "yes" },
        ],
      },
      {
        name: "lots",
        path: "/coop/lots",
        params: {},
        action: lotsAction,
        forms: [
          {},
          { intent: "receive" },
          {
            intent: "receive",
            skuId: shop.sku.id,
            householdId: household,
            quantity: "many",
            producedOn: "yesterday",
            receivedOn: "2026-02-30",
            bestBefore: "soon",
            idempotencyKey: "not-a-uuid",
          },
          {
            intent: "receive",
            skuId: LONG,
            householdId: LONG,
            quantity: NUMBER_TOO_BIG,
            producedOn: LONG,
            receivedOn: LONG,
            bestBefore: LONG,
            notes: LONG,
            idempotencyKey: LONG,
          },
          { intent: "writeOff" },
          { intent: "writeOff", lotId: lots[0]!.id, quantity: "-2.5", reason: "x", idempotencyKey: key, confirm: "no" },
          { intent: "writeOff", lotId: LONG, quantity: NUMBER_TOO_BIG, reason: LONG, idempotencyKey: LONG, confirm: "yes" },
        ],
      },
      {
        name: "payout",
        path: `/coop/payouts/${household}`,
        params: { householdId: household },
        action: payoutAction,
        forms: [
          {},
          { amount: "lots", method: "gold", reference: "R-1", paidOn: "tomorrow", idempotencyKey: "k", confirm: "no" },
          { amount: NUMBER_TOO_BIG, method: LONG, reference: LONG, paidOn: LONG, idempotencyKey: LONG, confirm: "yes" },
        ],
      },
      {
        name: "product list",
        path: "/coop/products",
        params: {},
        action: productsAction,
        forms: [
          {},
          { intent: "sku" },
          { intent: "sku", skuId: shop.sku.id, price: "cheap", maxPerOrder: "x", active: "yes" },
          { intent: "sku", skuId: LONG, price: NUMBER_TOO_BIG, maxPerOrder: NUMBER_TOO_BIG, active: LONG },
          { intent: "product" },
          { intent: "product", productId: shop.product.id, feeRate: "high", active: "maybe" },
          { intent: "product", productId: LONG, feeRate: NUMBER_TOO_BIG, active: LONG },
        ],
      },
      {
        name: "product page",
        path: `/coop/products/${shop.product.id}`,
        params: { productId: shop.product.id },
        action: editProductAction,
        forms: [
          {},
          { intent: "product" },
          { intent: "product", slug: "Not A Slug", nameZh: "桃", nameEn: "Peach", feeRate: "eight", active: "1" },
          { intent: "product", slug: LONG, nameZh: LONG, nameEn: LONG, descriptionZh: LONG, feeRate: NUMBER_TOO_BIG },
          { intent: "sku" },
          {
            intent: "sku",
            skuId: shop.sku.id,
            code: "?",
            nameZh: "盒",
            nameEn: "Box",
            price: "-1",
            weightGrams: "heavy",
            maxPerOrder: "0",
          },
          {
            intent: "new-sku",
            code: LONG,
            nameZh: LONG,
            nameEn: LONG,
            price: NUMBER_TOO_BIG,
            weightGrams: NUMBER_TOO_BIG,
            maxPerOrder: LONG,
          },
          { intent: "photo-first" },
          { intent: "photo-first", imageId: LONG },
          { intent: "photo-remove", imageId: image.id },
          { intent: "photo-remove", imageId: image.id, confirm: LONG },
        ],
      },
      {
        name: "new product",
        path: "/coop/products/new",
        params: {},
        action: newProductAction,
        forms: [
          {},
          { intent: "product", nameZh: "桃", nameEn: "Peach", feeRate: "ten percent", active: "sure" },
          { intent: "product", slug: LONG, nameZh: LONG, nameEn: LONG, seasonEn: LONG, feeRate: NUMBER_TOO_BIG },
        ],
      },
      {
        name: "picking",
        path: "/coop/picking",
        params: {},
        action: pickingAction,
        forms: [
          {},
          { intent: "step", groupOrderId: "", step: "teleported", confirm: "no" },
          { intent: "step", groupOrderId: LONG, step: LONG, confirm: LONG },
        ],
      },
    ];

    const before = await writes();
    for (const { name, path, params, action, forms } of cases) {
      for (const form of forms) {
        const label = `${name} ${JSON.stringify(form).slice(0, 120)}`;
        await expectRefused(label, () => action({ request: routeRequest(path, cookie, form), params, context: {} }));
      }
    }
    expect(await writes()).toEqual(before);
  });

  it("refuses a photo form that is empty, has no file or an over-long description", async () => {
    const { shop } = await paidOrder(1, [5]);
    const { cookie } = await signedIn(["coop"], shop.village.id);
    const post = (form: FormData) => {
      const body = new Response(form);
      return editProductAction({
        request: new Request(`http://localhost/coop/products/${shop.product.id}`, {
          method: "POST",
          headers: { Cookie: cookie, "Content-Type": body.headers.get("Content-Type")! },
          body: body.body,
          duplex: "half",
        } as RequestInit),
        params: { productId: shop.product.id },
        context: {},
      });
    };
    const textInsteadOfFile = new FormData();
    textInsteadOfFile.append("photo", "a photo, honestly");
    const overLong = new FormData();
    overLong.append("photo", new Blob([new Uint8Array([1, 2, 3])], { type: "image/png" }), "p.png");
    overLong.append("altZh", LONG);
    const before = await writes();
    await expectRefused("empty photo form", () => post(new FormData()));
    await expectRefused("text for the photo", () => post(textInsteadOfFile));
    await expectRefused("over-long description", () => post(overLong));
    expect(await writes()).toEqual(before);
  });

  it("answers 415 to a body that is not a form", async () => {
    const placed = await paidOrder(1, [5]);
    const { cookie } = await signedIn(["coop"], placed.shop.village.id);
    const request = new Request(`http://localhost/coop/orders/${placed.order.id}`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/json" },
      body: JSON.stringify({ intent: "cancel", confirm: "yes" }),
    });
    expect((await answerOf(() => orderAction({ request, params: { orderId: placed.order.id }, context: {} }))).status).toBe(415);
  });
});
