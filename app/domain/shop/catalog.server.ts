import { db } from "~/db/client.server";
import { productRatingSummary } from "~/domain/purchases/ratings.server";
import { shopToday } from "~/utils/dates";
import { stockState } from "./stock";

const imageSelect = { path: true, altZh: true, altEn: true, width: true, height: true } as const;

/** How many household stories a product page shows; enough to give faces to the produce, few enough to read. */
const STORIES_PER_PRODUCT = 12;

/** Active products with their cheapest active SKU, for the shop's home page. */
export async function listProductsForHome() {
  const products = await db.product.findMany({
    where: { active: true },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      slug: true,
      nameZh: true,
      nameEn: true,
      seasonZh: true,
      seasonEn: true,
      images: { orderBy: { sortOrder: "asc" }, take: 1, select: imageSelect },
      skus: { where: { active: true }, orderBy: { priceFen: "asc" }, take: 1, select: { priceFen: true } },
    },
  });
  return products.map(({ skus, images, ...product }) => ({
    ...product,
    image: images[0] ?? null,
    fromPriceFen: skus[0]?.priceFen ?? null,
  }));
}

/**
 * Units of each SKU that can still be sold: the lots' free units (the SQL function free_units) over lots not past
 * their best-before date in the shop's time zone, the same rule allocation allocates by.
 */
export async function availableBySku(skuIds: string[], now = new Date()): Promise<Map<string, number>> {
  if (skuIds.length === 0) return new Map();
  const sums = await db.$queryRaw<{ skuId: string; available: number }[]>`
    SELECT l."skuId", SUM("free_units"(l))::int AS "available" FROM "StockLot" l
    WHERE l."skuId" = ANY(${skuIds}::text[]) AND l."bestBefore" >= ${shopToday(now)}::date
    GROUP BY l."skuId"`;
  return new Map(sums.map(({ skuId, available }) => [skuId, available]));
}

/**
 * An active product's page: its photos, its active SKUs with price and stock state, and the stories of the households
 * that supplied it. Null for an unknown or withdrawn product. Households appear only with their consent and only
 * with what they agreed to show (DOMAIN §7): never the head's name, phone, ID or any other field of the file.
 */
export async function getProductPage(slug: string, now = new Date()) {
  const product = await db.product.findFirst({
    where: { slug, active: true },
    select: {
      id: true,
      slug: true,
      nameZh: true,
      nameEn: true,
      descriptionZh: true,
      descriptionEn: true,
      seasonZh: true,
      seasonEn: true,
      images: { orderBy: { sortOrder: "asc" }, select: imageSelect },
      skus: {
        where: { active: true },
        orderBy: { priceFen: "asc" },
        select: { id: true, nameZh: true, nameEn: true, priceFen: true, maxPerOrder: true },
      },
    },
  });
  if (!product) return null;
  const [available, households, ratings] = await Promise.all([
    availableBySku(
      product.skus.map((sku) => sku.id),
      now,
    ),
    db.household.findMany({
      where: { consentToDisplay: true, lots: { some: { sku: { productId: product.id } } } },
      orderBy: { code: "asc" },
      take: STORIES_PER_PRODUCT,
      select: { displayName: true, villageGroup: true, story: true, storyEn: true },
    }),
    productRatingSummary(product.id),
  ]);
  const { id: _id, skus, ...shown } = product;
  return { ...shown, skus: skus.map((sku) => ({ ...sku, stock: stockState(available.get(sku.id) ?? 0) })), households, ratings };
}
