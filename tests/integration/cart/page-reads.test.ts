// The reads of the pages a closing rush loads (home, product, cart, checkout) are single statements on the pool instead of
// Prisma queries (docs/decisions/0021-page-reads-on-the-pool.md). Each must answer what the Prisma query it replaced
// answered, computed here with that query, and be the same whatever the process's time zone.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { listOpenGroupOrdersForUnit } from "~/domain/group-orders/queries.server";
import { getCart, getCartForCheckout } from "~/domain/shop/cart.server";
import { availableBySku, getProductPage, listProductsForHome } from "~/domain/shop/catalog.server";
import { stockState } from "~/domain/shop/stock";
import { deliveryFeeFen } from "~/domain/shop/checkout.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createGroupOrder, createLot, createShop } from "../fixtures";

type Shop = Awaited<ReturnType<typeof createShop>>;

const DAY = 24 * 60 * 60 * 1000;
const processZone = process.env.TZ;
let shop: Shop;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop({ priceFen: 8800, deliveryFeeFen: 1500 });
});

afterEach(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

async function addProduct(slug: string, active: boolean, createdAt: Date) {
  return db.product.create({
    data: {
      cooperativeId: shop.cooperative.id,
      slug,
      nameZh: `产品${slug}`,
      nameEn: `Product ${slug}`,
      descriptionZh: "",
      descriptionEn: "",
      feeRateBp: 800,
      seasonZh: "四季",
      seasonEn: "All year",
      active,
      createdAt,
    },
  });
}

async function addSku(productId: string, code: string, priceFen: number, active = true) {
  return db.sku.create({ data: { productId, code, nameZh: code, nameEn: code, priceFen, weightGrams: 500, active } });
}

async function addImage(productId: string, path: string, sortOrder: number) {
  return db.productImage.create({
    data: { productId, path, altZh: `图${path}`, altEn: `Photo ${path}`, width: 800, height: 600, sortOrder },
  });
}

describe("the home page's products", () => {
  it("are the active products in the order they were added, each with its first photo and cheapest active SKU", async () => {
    await addImage(shop.product.id, "/second.jpg", 2);
    await addImage(shop.product.id, "/first.jpg", 1);
    await addSku(shop.product.id, "CHEAP-WITHDRAWN", 100, false);
    await addSku(shop.product.id, "DEAR", 9900);
    const later = await addProduct("noodles", true, new Date(Date.now() + 60_000));
    await addSku(later.id, "N-OFF", 500, false);
    await addProduct("withdrawn", false, new Date(Date.now() + 120_000));

    const products = await listProductsForHome();
    const reference = await db.product.findMany({
      where: { active: true },
      orderBy: { createdAt: "asc" },
      omit: {
        cooperativeId: true,
        descriptionZh: true,
        descriptionEn: true,
        feeRateBp: true,
        active: true,
        createdAt: true,
        updatedAt: true,
      },
      include: {
        images: { orderBy: { sortOrder: "asc" }, take: 1, select: { path: true, altZh: true, altEn: true, width: true, height: true } },
        skus: { where: { active: true }, orderBy: { priceFen: "asc" }, take: 1, select: { priceFen: true } },
      },
    });
    expect(products).toEqual(
      reference.map(({ images, skus, ...product }) => ({ ...product, image: images[0] ?? null, fromPriceFen: skus[0]?.priceFen ?? null })),
    );
    expect(products.map((p) => [p.slug, p.image?.path ?? null, p.fromPriceFen])).toEqual([
      [shop.product.slug, "/first.jpg", 8800],
      ["noodles", null, null],
    ]);
  });
});

describe("a product's page", () => {
  it("has its photos, its active SKUs with their stock today, and the consenting households that supplied it", async () => {
    await addImage(shop.product.id, "/b.jpg", 2);
    await addImage(shop.product.id, "/a.jpg", 1);
    const cheap = await addSku(shop.product.id, "SMALL", 4800);
    await addSku(shop.product.id, "OFF", 100, false);
    const lots = [await createLot(shop, 7), await createLot(shop, 30, -1), await createLot({ ...shop, sku: cheap }, 2)];
    await db.household.update({
      where: { id: lots[0]!.householdId },
      data: { consentToDisplay: true, displayName: "张家", story: "种桃二十年" },
    });
    await db.household.update({
      where: { id: lots[2]!.householdId },
      data: { consentToDisplay: true, displayName: "李家", storyEn: "Noodles" },
    });

    const reference = async (now: Date) => {
      const product = await db.product.findFirstOrThrow({
        where: { slug: shop.product.slug, active: true },
        omit: { id: true, cooperativeId: true, feeRateBp: true, active: true, createdAt: true, updatedAt: true },
        include: {
          images: { orderBy: { sortOrder: "asc" }, select: { path: true, altZh: true, altEn: true, width: true, height: true } },
          skus: {
            where: { active: true },
            orderBy: { priceFen: "asc" },
            select: { id: true, nameZh: true, nameEn: true, priceFen: true, maxPerOrder: true },
          },
        },
      });
      const available = await availableBySku(
        product.skus.map((sku) => sku.id),
        now,
      );
      const households = await db.household.findMany({
        where: { consentToDisplay: true, lots: { some: { sku: { productId: shop.product.id } } } },
        orderBy: { code: "asc" },
        take: 12,
        select: { displayName: true, villageGroup: true, story: true, storyEn: true },
      });
      return {
        ...product,
        skus: product.skus.map((sku) => ({ ...sku, stock: stockState(available.get(sku.id) ?? 0) })),
        households,
        ratings: { count: 0, average: null, latest: [] },
      };
    };

    for (const zone of ["UTC", "Asia/Shanghai", "America/Los_Angeles"]) {
      process.env.TZ = zone;
      const now = new Date();
      const page = await getProductPage(shop.product.slug, now);
      expect(page, zone).toEqual(await reference(now));
      expect(page!.images.map((i) => i.path)).toEqual(["/a.jpg", "/b.jpg"]);
      expect(page!.skus.map((s) => [s.nameZh, s.stock])).toEqual([
        ["SMALL", stockState(2)],
        ["5公斤", stockState(7)],
      ]);
      expect(page!.households.map((h) => h.displayName).sort()).toEqual(["张家", "李家"]);
    }
    expect(await getProductPage("no-such-product")).toBeNull();
    await db.product.update({ where: { id: shop.product.id }, data: { active: false } });
    expect(await getProductPage(shop.product.slug)).toBeNull();
  });
});

describe("a unit's open group orders", () => {
  it("are those open now to which the unit is invited, soonest closing first, with what each offers", async () => {
    const organizer = await createEmployee(shop.unit.id);
    const noodles = await addProduct("noodles", true, new Date(Date.now() + 60_000));
    const noodleSku = await addSku(noodles.id, "NOODLES-1", 3600);
    const later = await createGroupOrder(shop, organizer.id, { closesInMs: 2 * DAY, perPersonLimit: 2 });
    await db.groupOrderItem.create({ data: { groupOrderId: later.id, skuId: noodleSku.id } });
    const sooner = await createGroupOrder(shop, organizer.id, { closesInMs: DAY / 2, allowCard: false });
    const closed = await createGroupOrder(shop, organizer.id);
    await db.groupOrder.update({ where: { id: closed.id }, data: { status: "closed" } });
    const notYet = await createGroupOrder(shop, organizer.id);
    await db.groupOrder.update({ where: { id: notYet.id }, data: { opensAt: new Date(Date.now() + DAY) } });
    const lapsed = await createGroupOrder(shop, organizer.id);
    await db.groupOrder.update({ where: { id: lapsed.id }, data: { closesAt: new Date(Date.now() - 1000) } });
    const otherUnit = await db.unit.create({ data: { code: "U-OTHER", name: "其他单位", nameEn: "Other" } });
    const elsewhere = await createGroupOrder({ ...shop, unit: otherUnit }, organizer.id);

    const reference = async (unitId: string, now: Date) =>
      db.groupOrder.findMany({
        where: { status: "open", opensAt: { lte: now }, closesAt: { gt: now }, units: { some: { unitId } } },
        orderBy: { closesAt: "asc" },
        select: {
          id: true,
          title: true,
          closesAt: true,
          pickupPoint: true,
          deliveryDate: true,
          allowCard: true,
          allowUnitSettlement: true,
          items: {
            orderBy: { sku: { priceFen: "desc" } },
            select: {
              skuId: true,
              perPersonLimit: true,
              sku: {
                select: { nameZh: true, nameEn: true, priceFen: true, product: { select: { nameZh: true, nameEn: true, slug: true } } },
              },
            },
          },
        },
      });

    for (const zone of ["UTC", "Asia/Shanghai", "America/Los_Angeles"]) {
      process.env.TZ = zone;
      const now = new Date();
      const groups = await listOpenGroupOrdersForUnit(shop.unit.id, now);
      // Peaches (8800, added first) before noodles (3600): the shop's product order, which the reference's price
      // order happens to match here.
      expect(groups, zone).toEqual(await reference(shop.unit.id, now));
      expect(groups.map((g) => g.id)).toEqual([sooner.id, later.id]);
      expect(groups[1]!.items.map((i) => [i.sku.product.slug, i.perPersonLimit])).toEqual([
        [shop.product.slug, 2],
        ["noodles", null],
      ]);
      expect(groups[0]!.closesAt).toBeInstanceOf(Date);
      expect(await listOpenGroupOrdersForUnit(otherUnit.id, now)).toEqual(await reference(otherUnit.id, now));
      expect((await listOpenGroupOrdersForUnit(otherUnit.id, now)).map((g) => g.id)).toEqual([elsewhere.id]);
    }
    // An instant just before the later one closes, and just after.
    const closesAt = (await db.groupOrder.findUniqueOrThrow({ where: { id: later.id } })).closesAt;
    expect((await listOpenGroupOrdersForUnit(shop.unit.id, new Date(closesAt.getTime() - 1))).map((g) => g.id)).toContain(later.id);
    expect((await listOpenGroupOrdersForUnit(shop.unit.id, closesAt)).map((g) => g.id)).not.toContain(later.id);
  });
});

describe("the checkout page's cart lines", () => {
  it("are the buyer's items in the order added, at today's prices, with the units of unexpired lots", async () => {
    const buyer = await createEmployee(shop.unit.id);
    await addImage(shop.product.id, "/peach.jpg", 0);
    const withdrawn = await addSku(shop.product.id, "OFF", 5000, false);
    await createLot(shop, 7);
    await createLot(shop, 5);
    await createLot(shop, 100, -1);
    const cart = await db.cart.create({ data: { userId: buyer.id } });
    await db.cartItem.create({
      data: { cartId: cart.id, skuId: withdrawn.id, quantity: 1, seenPriceFen: 5000, addedAt: new Date(Date.now() - 60_000) },
    });
    await db.cartItem.create({ data: { cartId: cart.id, skuId: shop.sku.id, quantity: 3, seenPriceFen: 8000 } });
    const visitorCart = await db.cart.create({ data: {} });
    await db.cartItem.create({ data: { cartId: visitorCart.id, skuId: shop.sku.id, quantity: 9, seenPriceFen: 8800 } });

    process.env.TZ = "Asia/Shanghai";
    const lines = await getCartForCheckout(buyer.id);
    expect(lines).toEqual([
      expect.objectContaining({
        skuId: withdrawn.id,
        quantity: 1,
        priceFen: 5000,
        active: false,
        available: 0,
        image: expect.objectContaining({ path: "/peach.jpg" }),
      }),
      {
        skuId: shop.sku.id,
        quantity: 3,
        seenPriceFen: 8000,
        priceFen: 8800,
        maxPerOrder: 10,
        active: true,
        available: 12,
        skuNameZh: "5公斤",
        skuNameEn: "5 kg",
        productSlug: shop.product.slug,
        productNameZh: "无公害桃",
        productNameEn: "Peaches",
        image: { path: "/peach.jpg", altZh: "图/peach.jpg", altEn: "Photo /peach.jpg" },
      },
    ]);
    expect(await getCartForCheckout((await createEmployee(null)).id)).toEqual([]);
    // A visitor's cart is found by its id, and never a buyer's cart by that id.
    expect((await getCart({ anonymousCartId: visitorCart.id })).lines.map((l) => [l.skuId, l.quantity])).toEqual([[shop.sku.id, 9]]);
    expect((await getCart({ anonymousCartId: cart.id })).lines).toEqual([]);
    expect((await getCart({ anonymousCartId: null })).lines).toEqual([]);
  });
});

describe("the delivery fee", () => {
  it("is the cooperative's", async () => {
    expect(await deliveryFeeFen()).toBe(1500);
    await truncateAllTables();
    expect(await deliveryFeeFen()).toBe(0);
  });
});
