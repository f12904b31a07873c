import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createUserSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import { getCartForCheckout } from "~/domain/shop/cart.server";
import type { FormAnswer } from "~/utils/forms";
import { action, loader } from "~/routes/checkout";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createGroupOrder, createLot, createShop, lotState } from "../fixtures";
import { outcome, routeRequest } from "../route-helpers";

type Shop = Awaited<ReturnType<typeof createShop>>;
let shop: Shop;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
});

/** An employee of the shop's unit with `quantity` of the SKU in their cart, signed in. */
async function buyerWithCart(quantity: number) {
  const user = await createEmployee(shop.unit.id);
  await db.cart.create({
    data: { userId: user.id, items: { create: [{ skuId: shop.sku.id, quantity, seenPriceFen: shop.sku.priceFen }] } },
  });
  const session = await createUserSession(user.id, "/");
  return { user, cookie: session.headers.get("Set-Cookie")!.split(";")[0]! };
}

const submit = (cookie: string, form: Record<string, string>) =>
  outcome(() => action({ request: routeRequest("/checkout", cookie, form), params: {}, context: {} }));

/** The field and form messages of an answer ("" is the form's own). */
const errorsOf = (answer: { data?: unknown }) => (answer.data as FormAnswer).result.error ?? {};

describe("the checkout action", () => {
  it("places the cart as a unit-settled group order, empties the cart, and answers a resubmission with the same order", async () => {
    const lot = await createLot(shop, 5);
    const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
    const { user, cookie } = await buyerWithCart(2);
    const form = { idempotencyKey: randomUUID(), fulfilment: `group:${group.id}`, paymentMethod: "unit_settlement" };

    const first = await submit(cookie, form);
    expect(first.status).toBe(302);
    const order = await db.order.findFirstOrThrow({ include: { lines: true } });
    expect(first.location).toBe(`/orders/${order.number}`);
    expect(order).toMatchObject({
      userId: user.id,
      groupOrderId: group.id,
      paymentMethod: "unit_settlement",
      totalFen: 2 * shop.sku.priceFen,
      deliveryFeeFen: 0,
    });
    expect(order.lines).toEqual([expect.objectContaining({ skuId: shop.sku.id, quantity: 2, unitPriceFen: shop.sku.priceFen })]);
    expect(await getCartForCheckout(user.id)).toEqual([]);
    expect((await lotState(lot.id)).quantityAllocated).toBe(2);

    const again = await submit(cookie, form);
    expect(again).toMatchObject({ status: 302, location: `/orders/${order.number}` });
    expect(await db.order.count()).toBe(1);
    expect((await lotState(lot.id)).quantityAllocated).toBe(2);
  });

  it("says the SKU is sold out with what is left (409), keeps the cart and writes nothing", async () => {
    await createLot(shop, 1);
    const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
    const { user, cookie } = await buyerWithCart(2);
    const result = await submit(cookie, {
      idempotencyKey: randomUUID(),
      fulfilment: `group:${group.id}`,
      paymentMethod: "unit_settlement",
    });
    expect(result.status).toBe(409);
    expect(errorsOf(result)).toEqual({ "": [`checkout.problems.sold_out?skuId=${shop.sku.id}&available=1`] });
    expect(await db.order.count()).toBe(0);
    expect(await getCartForCheckout(user.id)).toHaveLength(1);
  });

  it("reports a changed price with both prices, then accepts it on the next submission", async () => {
    await createLot(shop, 5);
    const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
    const { cookie } = await buyerWithCart(1);
    await db.sku.update({ where: { id: shop.sku.id }, data: { priceFen: 9500 } });
    const form = { fulfilment: `group:${group.id}`, paymentMethod: "unit_settlement" };
    const changed = await submit(cookie, { ...form, idempotencyKey: randomUUID() });
    expect(changed.status).toBe(409);
    expect(errorsOf(changed)).toEqual({ "": [`checkout.problems.price_changed?skuId=${shop.sku.id}&expectedFen=8800&currentFen=9500`] });
    expect(await db.order.count()).toBe(0);

    const accepted = await submit(cookie, { ...form, idempotencyKey: randomUUID() });
    expect(accepted.status).toBe(302);
    expect(await db.order.findFirstOrThrow()).toMatchObject({ totalFen: 9500 });
  });

  it("says how many more a buyer may take under the group order's per-person limit", async () => {
    await createLot(shop, 20);
    const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id, { perPersonLimit: 3 });
    const { cookie } = await buyerWithCart(5);
    const result = await submit(cookie, {
      idempotencyKey: randomUUID(),
      fulfilment: `group:${group.id}`,
      paymentMethod: "unit_settlement",
    });
    expect(result.status).toBe(409);
    expect(errorsOf(result)).toEqual({ "": [`checkout.problems.over_limit?skuId=${shop.sku.id}&limit=3`] });
  });

  it("refuses home delivery without online payment on the payment field, as the page says before submitting", async () => {
    await createLot(shop, 5);
    const { cookie } = await buyerWithCart(1);
    const delivery = { fulfilment: "delivery", recipientName: "张三", recipientPhone: "139 0000 0000", address: "北京市西城区" };
    const card = await submit(cookie, { ...delivery, idempotencyKey: randomUUID(), paymentMethod: "card" });
    expect(card.status).toBe(409);
    expect(errorsOf(card)).toEqual({ paymentMethod: ["checkout.problems.card_not_configured"] });
    const unit = await submit(cookie, { ...delivery, idempotencyKey: randomUUID(), paymentMethod: "unit_settlement" });
    expect(errorsOf(unit)).toEqual({ paymentMethod: ["checkout.problems.payment_not_allowed"] });
    expect(await db.order.count()).toBe(0);
  });

  it("shows each way of getting the cart with what it is paid by and what it lacks, and nothing else", async () => {
    await createLot(shop, 5);
    const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id, { allowCard: false });
    const { user, cookie } = await buyerWithCart(1);
    const gradeB = await db.sku.create({
      data: {
        productId: shop.product.id,
        code: "B-1",
        nameZh: "二级果",
        nameEn: "Grade B",
        priceFen: 6800,
        weightGrams: 5000,
        maxPerOrder: 5,
      },
    });
    await db.cartItem.create({
      data: { cart: { connect: { userId: user.id } }, sku: { connect: { id: gradeB.id } }, quantity: 2, seenPriceFen: 6800 },
    });
    const page = await outcome(() => loader({ request: routeRequest("/checkout", cookie), params: {}, context: {} }));
    expect(page.data).toEqual({
      lines: [
        { skuId: shop.sku.id, quantity: 1, priceFen: 8800, nameZh: "无公害桃 5公斤", nameEn: "Peaches 5 kg" },
        { skuId: gradeB.id, quantity: 2, priceFen: 6800, nameZh: "无公害桃 二级果", nameEn: "Peaches Grade B" },
      ],
      groupOrders: [
        {
          id: group.id,
          title: "团购",
          pickupPoint: "东门",
          deliveryDate: group.deliveryDate,
          closesAt: group.closesAt,
          allowCard: false,
          allowUnitSettlement: true,
          notOffered: [{ nameZh: "无公害桃 二级果", nameEn: "Peaches Grade B" }],
        },
      ],
      deliveryFeeFen: 1200,
      hasUnit: true,
      cardConfigured: false,
      onlineMethods: ["card"],
      idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it("answers an empty form, wrong types and over-long values with 400 and field messages, writing nothing", async () => {
    await createLot(shop, 5);
    const { cookie } = await buyerWithCart(1);
    const empty = await submit(cookie, {});
    expect(empty.status).toBe(400);
    expect(errorsOf(empty)).toEqual({
      idempotencyKey: ["errors.staleForm"],
      fulfilment: ["checkout.chooseFulfilment"],
      paymentMethod: ["checkout.choosePayment"],
    });

    const wrong = await submit(cookie, { idempotencyKey: "not-a-uuid", fulfilment: "pickup", paymentMethod: "cash" });
    expect(wrong.status).toBe(400);
    expect(Object.keys(errorsOf(wrong)).sort()).toEqual(["fulfilment", "idempotencyKey", "paymentMethod"]);

    const noAddress = await submit(cookie, {
      idempotencyKey: randomUUID(),
      fulfilment: "delivery",
      paymentMethod: "card",
      recipientPhone: "123",
    });
    expect(noAddress.status).toBe(400);
    expect(errorsOf(noAddress)).toEqual({
      recipientName: ["errors.required"],
      recipientPhone: ["errors.invalidPhone"],
      address: ["errors.required"],
    });

    const long = await submit(cookie, {
      idempotencyKey: randomUUID(),
      fulfilment: `group:${"x".repeat(200)}`,
      paymentMethod: "card",
      recipientName: "张".repeat(41),
      recipientPhone: "1".repeat(21),
      address: "路".repeat(201),
    });
    expect(long.status).toBe(400);
    expect(errorsOf(long)).toMatchObject({
      fulfilment: ["checkout.chooseFulfilment"],
      recipientName: ["errors.tooLong"],
      recipientPhone: ["errors.tooLong"],
      address: ["errors.tooLong"],
    });
    expect(await db.order.count()).toBe(0);
  });
});
