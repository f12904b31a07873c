import { createCookie } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { acknowledgeCartPrices, getCartForCheckout, mergeAnonymousCart } from "~/domain/shop/cart.server";
import { loader as rootLoader } from "~/root";
import { action, loader } from "~/routes/cart";
import { truncateAllTables } from "../../setup/reset";
import { createLot, createShop } from "../fixtures";
import { cookieFrom, get, post, run, signedInEmployee } from "./helpers";

type Shop = Awaited<ReturnType<typeof createShop>>;
type CartData = Awaited<ReturnType<typeof loader>>;

let shop: Shop;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop({ priceFen: 8800 });
});

const add = (skuId: string, quantity: string | number, cookie = "") =>
  run(action, post("/cart", { intent: "add", skuId, quantity }, cookie));
const update = (skuId: string, quantity: string | number, cookie = "") =>
  run(action, post("/cart", { intent: "update", skuId, quantity }, cookie));
const remove = (skuId: string, cookie = "") => run(action, post("/cart", { intent: "remove", skuId }, cookie));

async function cartPage(cookie: string) {
  return (await run(loader, get("/cart", cookie))).data as CartData;
}

async function quantities() {
  const items = await db.cartItem.findMany({ select: { skuId: true, quantity: true } });
  return Object.fromEntries(items.map((item) => [item.skuId, item.quantity]));
}

async function secondSku(maxPerOrder: number) {
  return db.sku.create({
    data: {
      productId: shop.product.id,
      code: `B-${maxPerOrder}-${Date.now()}`,
      nameZh: "二级果",
      nameEn: "Grade B",
      priceFen: 6800,
      weightGrams: 5000,
      maxPerOrder,
    },
  });
}

describe("an anonymous visitor's cart", () => {
  it("is created on the first add, remembered by a signed HttpOnly cookie, and sends the buyer back to the product", async () => {
    const result = await add(shop.sku.id, 2);
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/products/${shop.product.slug}?added=${shop.sku.id}`);
    const setCookie = result.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/^__cart=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = cookieFrom(result.headers, "__cart");

    const cart = await db.cart.findFirstOrThrow({ include: { items: true } });
    expect(cart.userId).toBeNull();
    expect(cart.items).toMatchObject([{ skuId: shop.sku.id, quantity: 2, seenPriceFen: 8800 }]);

    const again = await add(shop.sku.id, 1, cookie);
    expect(again.headers.get("Set-Cookie")).toBeNull();
    expect(await db.cart.count()).toBe(1);
    expect((await cartPage(cookie)).cart.lines).toMatchObject([{ skuId: shop.sku.id, quantity: 3, lineTotalFen: 3 * 8800 }]);
    expect(((await run(rootLoader, get("/", cookie))).data as { cartCount: number }).cartCount).toBe(3);
  });

  it("cannot reach a signed-in buyer's cart, even with a validly signed cookie naming it", async () => {
    const { user, cookie: session } = await signedInEmployee();
    await add(shop.sku.id, 4, session);
    // The header's count comes with the session look-up for a signed-in buyer.
    expect(((await run(rootLoader, get("/", session))).data as { cartCount: number }).cartCount).toBe(4);
    const usersCart = await db.cart.findUniqueOrThrow({ where: { userId: user.id } });
    const forged = await createCookie("__cart", { secrets: [process.env.SESSION_SECRET!] }).serialize(usersCart.id);
    const cookie = forged.split(";")[0]!;

    expect((await cartPage(cookie)).cart.lines).toEqual([]);
    await remove(shop.sku.id, cookie);
    await update(shop.sku.id, 1, cookie);
    const result = await add(shop.sku.id, 1, cookie);
    expect(cookieFrom(result.headers, "__cart")).not.toBe(cookie);
    expect(await db.cartItem.findUniqueOrThrow({ where: { cartId_skuId: { cartId: usersCart.id, skuId: shop.sku.id } } })).toMatchObject({
      quantity: 4,
    });
  });

  it("ignores a cookie that is not signed", async () => {
    await add(shop.sku.id, 2);
    const cart = await db.cart.findFirstOrThrow();
    expect((await cartPage(`__cart=${encodeURIComponent(btoa(JSON.stringify(cart.id)))}`)).cart.lines).toEqual([]);
  });
});

describe("add, update and remove", () => {
  it("changes a signed-in buyer's cart and comes back to the cart page", async () => {
    const { user, cookie } = await signedInEmployee();
    expect((await add(shop.sku.id, 2, cookie)).status).toBe(302);
    expect(await db.cart.findUniqueOrThrow({ where: { userId: user.id } })).toBeTruthy();

    const updated = await update(shop.sku.id, 5, cookie);
    expect(updated.status).toBe(302);
    expect(updated.headers.get("Location")).toBe("/cart");
    expect(await quantities()).toEqual({ [shop.sku.id]: 5 });

    expect((await update(shop.sku.id, 0, cookie)).status).toBe(302);
    expect(await quantities()).toEqual({});

    await add(shop.sku.id, 1, cookie);
    expect((await remove(shop.sku.id, cookie)).status).toBe(302);
    expect(await quantities()).toEqual({});
    expect((await remove(shop.sku.id, cookie)).status).toBe(302);
  });

  it("refuses quantities that are not whole numbers from 1 to maxPerOrder, writing nothing", async () => {
    const cases: [string, number, string][] = [
      ["0", 400, "shop.errors.quantityTooSmall"],
      ["-1", 400, "shop.errors.quantityTooSmall"],
      ["abc", 400, "shop.errors.quantityInvalid"],
      ["1.5", 400, "shop.errors.quantityInvalid"],
      ["", 400, "shop.errors.quantityInvalid"],
      ["999", 422, "shop.errors.overLimit?max=10"],
      ["11", 422, "shop.errors.overLimit?max=10"],
    ];
    for (const [quantity, status, message] of cases) {
      const result = await add(shop.sku.id, quantity);
      expect({ quantity, status: result.status, errors: result.errors.quantity }).toEqual({ quantity, status, errors: [message] });
    }
    expect(await db.cart.count()).toBe(0);
    expect(await db.cartItem.count()).toBe(0);
  });

  it("refuses bad quantities on update and leaves the line as it was", async () => {
    const { cookie } = await signedInEmployee();
    await add(shop.sku.id, 3, cookie);
    const cases: [string, number, string][] = [
      ["-1", 400, "shop.errors.quantityInvalid"],
      ["abc", 400, "shop.errors.quantityInvalid"],
      ["1.5", 400, "shop.errors.quantityInvalid"],
      ["999", 422, "shop.errors.overLimit?max=10"],
    ];
    for (const [quantity, status, message] of cases) {
      const result = await update(shop.sku.id, quantity, cookie);
      expect({ quantity, status: result.status, errors: result.errors.quantity }).toEqual({ quantity, status, errors: [message] });
    }
    expect(await quantities()).toEqual({ [shop.sku.id]: 3 });
  });

  it("refuses an unknown SKU, an inactive SKU and a SKU of an inactive product", async () => {
    const inactiveSku = await secondSku(10);
    await db.sku.update({ where: { id: inactiveSku.id }, data: { active: false } });
    for (const skuId of ["no-such-sku", inactiveSku.id]) {
      const result = await add(skuId, 1);
      expect(result.status).toBe(422);
      expect(result.errors.skuId).toEqual(["shop.errors.unavailable"]);
    }
    await db.product.update({ where: { id: shop.product.id }, data: { active: false } });
    expect((await add(shop.sku.id, 1)).errors.skuId).toEqual(["shop.errors.unavailable"]);
    expect(await db.cart.count()).toBe(0);
    expect((await run(action, post("/cart", { intent: "add", quantity: 1 }))).errors.skuId).toEqual(["shop.errors.unavailable"]);
    expect((await run(action, post("/cart", { intent: "buy", skuId: shop.sku.id, quantity: 1 }))).status).toBe(400);
  });

  it("lets a withdrawn SKU be removed but not changed", async () => {
    const { cookie } = await signedInEmployee();
    await add(shop.sku.id, 2, cookie);
    await db.sku.update({ where: { id: shop.sku.id }, data: { active: false } });
    const changed = await update(shop.sku.id, 3, cookie);
    expect(changed.status).toBe(422);
    expect(changed.errors.skuId).toEqual(["shop.errors.unavailable"]);
    expect((await update(shop.sku.id, 0, cookie)).status).toBe(302);
    expect(await quantities()).toEqual({});
  });

  it("says so when the line to update is no longer in the cart", async () => {
    const { cookie } = await signedInEmployee();
    const result = await update(shop.sku.id, 2, cookie);
    expect(result.status).toBe(422);
    expect(result.errors.skuId).toEqual(["shop.errors.notInCart"]);
    expect(await db.cartItem.count()).toBe(0);
  });
});

describe("malformed cart forms", () => {
  it("answers an empty form, a wrong intent, a wrong type and an over-long SKU with 400 and a field message", async () => {
    const cases: [Record<string, string | number>, Record<string, string[]>][] = [
      [{}, { intent: ["errors.badRequestTitle"] }],
      [{ intent: "buy", skuId: shop.sku.id, quantity: 1 }, { intent: ["errors.badRequestTitle"] }],
      [{ intent: "add", skuId: shop.sku.id, quantity: "two" }, { quantity: ["shop.errors.quantityInvalid"] }],
      [{ intent: "add", skuId: "s".repeat(101), quantity: 1 }, { skuId: ["shop.errors.unavailable"] }],
      [{ intent: "update", skuId: shop.sku.id, quantity: "9".repeat(400) }, { quantity: ["shop.errors.quantityInvalid"] }],
    ];
    for (const [fields, errors] of cases) {
      const result = await run(action, post("/cart", fields));
      expect({ fields, status: result.status, errors: result.errors }).toEqual({ fields, status: 400, errors });
    }
    expect(await db.cart.count()).toBe(0);
  });
});

describe("the maxPerOrder limit", () => {
  it("never lets the cart hold more than maxPerOrder of a SKU, and says how many it already holds", async () => {
    const { cookie } = await signedInEmployee();
    await add(shop.sku.id, 6, cookie);
    const over = await add(shop.sku.id, 6, cookie);
    expect(over.status).toBe(422);
    expect(over.errors.quantity).toEqual(["shop.errors.cartOverLimit?max=10&inCart=6"]);
    expect(await quantities()).toEqual({ [shop.sku.id]: 6 });

    expect((await add(shop.sku.id, 4, cookie)).status).toBe(302);
    expect(await quantities()).toEqual({ [shop.sku.id]: 10 });
    expect((await add(shop.sku.id, 1, cookie)).status).toBe(422);
    expect((await update(shop.sku.id, 11, cookie)).status).toBe(422);
    expect(await quantities()).toEqual({ [shop.sku.id]: 10 });
  });

  it("holds when two adds arrive at once", async () => {
    const { cookie } = await signedInEmployee();
    await add(shop.sku.id, 1, cookie);
    const results = await Promise.all([add(shop.sku.id, 6, cookie), add(shop.sku.id, 6, cookie), add(shop.sku.id, 6, cookie)]);
    expect(results.map((r) => r.status).sort()).toEqual([302, 422, 422]);
    expect(await quantities()).toEqual({ [shop.sku.id]: 7 });
  });
});

describe("signing in with an anonymous cart", () => {
  it("moves its lines into the buyer's cart, adding quantities up to maxPerOrder, and clears the cookie", async () => {
    const small = await secondSku(5);
    const anonymous = await add(shop.sku.id, 4);
    const cartCookie = cookieFrom(anonymous.headers, "__cart");
    await add(small.id, 3, cartCookie);
    const { user, cookie: session } = await signedInEmployee();
    await add(shop.sku.id, 8, session);

    const setCookie = await mergeAnonymousCart(get("/login", cartCookie), user.id);
    expect(setCookie).toMatch(/^__cart=/);
    expect(setCookie).toMatch(/Max-Age=0/i);

    const carts = await db.cart.findMany({ include: { items: true } });
    expect(carts).toHaveLength(1);
    expect(carts[0]!.userId).toBe(user.id);
    expect(await quantities()).toEqual({ [shop.sku.id]: 10, [small.id]: 3 });

    // The old cookie now names nothing: the visitor starts a fresh cart rather than reviving the merged one.
    expect((await cartPage(cartCookie)).cart.lines).toEqual([]);
    expect(await mergeAnonymousCart(get("/login", cartCookie), user.id)).toMatch(/Max-Age=0/i);
    expect(await quantities()).toEqual({ [shop.sku.id]: 10, [small.id]: 3 });
  });

  it("gives a buyer without a cart the visitor's cart, and merging twice at once adds it once", async () => {
    const anonymous = await add(shop.sku.id, 3);
    const cartCookie = cookieFrom(anonymous.headers, "__cart");
    const { user, cookie: session } = await signedInEmployee();
    await Promise.all([mergeAnonymousCart(get("/login", cartCookie), user.id), mergeAnonymousCart(get("/login", cartCookie), user.id)]);
    expect(await quantities()).toEqual({ [shop.sku.id]: 3 });
    expect((await cartPage(session)).cart.lines).toMatchObject([{ skuId: shop.sku.id, quantity: 3 }]);
  });

  it("changes nothing without a cart cookie", async () => {
    const { user, cookie: session } = await signedInEmployee();
    await add(shop.sku.id, 2, session);
    expect(await mergeAnonymousCart(get("/login"), user.id)).toMatch(/Max-Age=0/i);
    expect(await quantities()).toEqual({ [shop.sku.id]: 2 });
  });
});

describe("what changed since an item was added", () => {
  it("notes a price change and keeps the subtotal at today's prices", async () => {
    await createLot(shop, 20);
    const { cookie } = await signedInEmployee();
    await add(shop.sku.id, 2, cookie);
    await db.sku.update({ where: { id: shop.sku.id }, data: { priceFen: 9500 } });
    const { cart } = await cartPage(cookie);
    expect(cart.lines[0]).toMatchObject({
      priceFen: 9500,
      lineTotalFen: 19000,
      notes: [{ kind: "price_changed", fromFen: 8800, toFen: 9500 }],
    });
    expect(cart.subtotalFen).toBe(19000);
  });

  it("notes stock below the quantity, counting only lots not past best-before and not yet allocated", async () => {
    await createLot(shop, 50, -1);
    const lot = await createLot(shop, 5);
    await db.stockLot.update({ where: { id: lot.id }, data: { quantityAllocated: 2 } });
    const { cookie } = await signedInEmployee();
    await add(shop.sku.id, 4, cookie);
    expect((await cartPage(cookie)).cart.lines[0]).toMatchObject({ notes: [{ kind: "short", available: 3 }] });
    await update(shop.sku.id, 3, cookie);
    expect((await cartPage(cookie)).cart.lines[0]!.notes).toEqual([]);
    await db.stockLot.update({ where: { id: lot.id }, data: { quantityWrittenOff: 3 } });
    expect((await cartPage(cookie)).cart.lines[0]!.notes).toEqual([{ kind: "short", available: 0 }]);
  });

  it("notes a withdrawn SKU and leaves it out of the subtotal", async () => {
    const other = await secondSku(10);
    await createLot(shop, 20);
    const { cookie } = await signedInEmployee();
    await add(shop.sku.id, 1, cookie);
    await add(other.id, 1, cookie);
    await db.sku.update({ where: { id: other.id }, data: { active: false } });
    const { cart } = await cartPage(cookie);
    expect(cart.lines.find((l) => l.skuId === other.id)?.notes).toEqual([{ kind: "inactive" }]);
    expect(cart.subtotalFen).toBe(8800);
  });
});

describe("for checkout", () => {
  it("lists the buyer's lines with seen and current prices, and takes new prices as seen", async () => {
    await createLot(shop, 7);
    const { user, cookie } = await signedInEmployee();
    await add(shop.sku.id, 2, cookie);
    await db.sku.update({ where: { id: shop.sku.id }, data: { priceFen: 9000 } });
    expect(await getCartForCheckout(user.id)).toEqual([
      expect.objectContaining({
        skuId: shop.sku.id,
        quantity: 2,
        seenPriceFen: 8800,
        priceFen: 9000,
        active: true,
        available: 7,
        maxPerOrder: 10,
        productNameZh: "无公害桃",
        skuNameEn: "5 kg",
      }),
    ]);
    await acknowledgeCartPrices(user.id);
    expect(await getCartForCheckout(user.id)).toEqual([expect.objectContaining({ seenPriceFen: 9000 })]);
  });
});
