import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { headers, loader } from "~/routes/products.$slug";
import { truncateAllTables } from "../../setup/reset";
import { createLot, createShop } from "../fixtures";
import { cookieFrom, get, post, run, signedInEmployee } from "./helpers";
import { action as cartAction } from "~/routes/cart";

type Shop = Awaited<ReturnType<typeof createShop>>;
type ProductData = { skus: { id: string; stock: unknown }[]; households: unknown[] };

let shop: Shop;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop({ priceFen: 8800 });
});

const page = (slug: string, cookie = "") => run(loader, get(`/products/${slug}`, cookie), { slug });

async function sku(maxPerOrder = 10, active = true) {
  return db.sku.create({
    data: {
      productId: shop.product.id,
      code: `S-${Math.random().toString(36).slice(2)}`,
      nameZh: "规格",
      nameEn: "Option",
      priceFen: 5000,
      weightGrams: 1000,
      maxPerOrder,
      active,
    },
  });
}

describe("product page", () => {
  it("is a 404 for an unknown or withdrawn product", async () => {
    expect((await page("no-such-product")).status).toBe(404);
    await db.product.update({ where: { id: shop.product.id }, data: { active: false } });
    expect((await page(shop.product.slug)).status).toBe(404);
  });

  it("shows each active SKU's stock from unexpired lots: in stock, only N left, sold out", async () => {
    const low = await sku();
    const soldOut = await sku();
    await sku(10, false);
    await createLot(shop, 11);
    await createLot(shop, 100, -1);
    const lot = await createLot({ village: shop.village, sku: low }, 12);
    await db.stockLot.update({ where: { id: lot.id }, data: { quantityAllocated: 4, quantityWrittenOff: 1 } });
    await createLot({ village: shop.village, sku: soldOut }, 3, -2);

    const result = await page(shop.product.slug);
    expect(result.status).toBe(200);
    const product = result.data as ProductData;
    expect(Object.fromEntries(product.skus.map((s) => [s.id, s.stock]))).toEqual({
      [shop.sku.id]: { kind: "in_stock" },
      [low.id]: { kind: "low", left: 7 },
      [soldOut.id]: { kind: "sold_out" },
    });
  });

  it("tells the stories of consenting households that supplied it, and nothing else about any household", async () => {
    const consenting = await createLot(shop, 5);
    const private_ = await createLot(shop, 5);
    await db.household.update({
      where: { id: consenting.householdId },
      data: {
        consentToDisplay: true,
        displayName: "王家",
        story: "种桃二十年",
        storyEn: "Twenty years of peaches",
        phone: "13912345678",
        headIdMasked: "130434********1234",
        address: "岸上村一组 7 号",
      },
    });
    await db.household.update({ where: { id: private_.householdId }, data: { phone: "13800001111", displayName: "李家" } });
    const elsewhere = await db.product.create({
      data: {
        cooperativeId: shop.cooperative.id,
        slug: "noodles",
        nameZh: "粉条",
        nameEn: "Noodles",
        descriptionZh: "粉条",
        descriptionEn: "Noodles",
        feeRateBp: 1000,
        seasonZh: "全年",
        seasonEn: "All year",
      },
    });
    const noodles = await db.sku.create({
      data: { productId: elsewhere.id, code: "N-1", nameZh: "袋装", nameEn: "Bag", priceFen: 7500, weightGrams: 2500 },
    });
    const otherLot = await createLot({ village: shop.village, sku: noodles }, 5);
    await db.household.update({
      where: { id: otherLot.householdId },
      data: { consentToDisplay: true, displayName: "张家", story: "做粉条" },
    });

    const result = await page(shop.product.slug);
    const product = result.data as ProductData;
    expect(product.households).toEqual([
      { displayName: "王家", villageGroup: "一组", story: "种桃二十年", storyEn: "Twenty years of peaches" },
    ]);
    const json = JSON.stringify(result.data);
    for (const secret of [
      "headName",
      "phone",
      "headId",
      "address",
      "code",
      "householdId",
      "户主",
      "13912345678",
      "130434",
      "李家",
      consenting.householdId,
    ]) {
      expect(json).not.toContain(secret);
    }
  });

  it("may be cached publicly for a visitor without a session or cart, and only privately otherwise", async () => {
    const anonymous = await page(shop.product.slug);
    expect(anonymous.headers.get("Cache-Control")).toBe("public, max-age=5, stale-while-revalidate=30");
    expect(anonymous.headers.get("Vary")).toBe("Cookie, Accept-Language");
    const documentHeaders = new Headers(
      headers({ loaderHeaders: anonymous.headers, parentHeaders: new Headers(), actionHeaders: new Headers(), errorHeaders: undefined }),
    );
    expect(documentHeaders.get("Cache-Control")).toBe("public, max-age=5, stale-while-revalidate=30");

    const { cookie } = await signedInEmployee();
    expect((await page(shop.product.slug, cookie)).headers.get("Cache-Control")).toBe("private, no-store");

    const added = await run(cartAction, post("/cart", { intent: "add", skuId: shop.sku.id, quantity: 1 }));
    expect((await page(shop.product.slug, cookieFrom(added.headers, "__cart"))).headers.get("Cache-Control")).toBe("private, no-store");
  });
});
