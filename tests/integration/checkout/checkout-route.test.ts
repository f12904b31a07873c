import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createUserSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import { getCartForCheckout } from "~/domain/shop/cart.server";
import { action } from "~/routes/checkout";
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

  it("says the SKU is sold out, keeps the cart and writes nothing", async () => {
    await createLot(shop, 1);
    const group = await createGroupOrder(shop, (await createEmployee(shop.unit.id)).id);
    const { user, cookie } = await buyerWithCart(2);
    const result = await submit(cookie, {
      idempotencyKey: randomUUID(),
      fulfilment: `group:${group.id}`,
      paymentMethod: "unit_settlement",
    });
    expect(result.status).toBe(409);
    expect(result.data).toMatchObject({ problems: [{ kind: "sold_out", skuId: shop.sku.id, available: 1 }] });
    expect(await db.order.count()).toBe(0);
    expect(await getCartForCheckout(user.id)).toHaveLength(1);
  });

  it("answers bad input with field errors and writes nothing", async () => {
    await createLot(shop, 5);
    const { cookie } = await buyerWithCart(1);
    const malformed = await submit(cookie, { idempotencyKey: "not-a-uuid", fulfilment: "delivery", paymentMethod: "cash" });
    expect(malformed.status).toBe(400);
    expect(Object.keys((malformed.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["idempotencyKey", "paymentMethod"]);
    const noAddress = await submit(cookie, {
      idempotencyKey: randomUUID(),
      fulfilment: "delivery",
      paymentMethod: "card",
      recipientPhone: "123",
    });
    expect(noAddress.status).toBe(400);
    expect(Object.keys((noAddress.data as { fieldErrors: object }).fieldErrors).sort()).toEqual([
      "address",
      "recipientName",
      "recipientPhone",
    ]);
    expect(await db.order.count()).toBe(0);
  });
});
