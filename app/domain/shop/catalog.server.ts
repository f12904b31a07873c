import { db, queryRows } from "~/db/client.server";
import type { Product } from "~/db/generated/client";
import { averageText, LATEST_COMMENTS } from "~/domain/purchases/ratings.server";
import { shopDateOf, shopToday } from "~/utils/dates";
import { stockState } from "./stock";

/** How many household stories a product page shows; enough to give faces to the produce, few enough to read. */
const STORIES_PER_PRODUCT = 12;

export type HomeProduct = {
  id: string;
  slug: string;
  nameZh: string;
  nameEn: string;
  seasonZh: string;
  seasonEn: string;
  image: { path: string; altZh: string; altEn: string; width: number; height: number } | null;
  fromPriceFen: number | null;
};

// One statement on the pool (the home page is the first page of every buyer in a rush); `queryRows` says why.
const HOME_PRODUCTS_SQL = `
  SELECT p."id", p."slug", p."nameZh", p."nameEn", p."seasonZh", p."seasonEn",
         (SELECT json_build_object('path', i."path", 'altZh', i."altZh", 'altEn', i."altEn", 'width', i."width", 'height', i."height")
          FROM "ProductImage" i WHERE i."productId" = p."id" ORDER BY i."sortOrder", i."id" LIMIT 1) AS "image",
         (SELECT MIN(s."priceFen") FROM "Sku" s WHERE s."productId" = p."id" AND s."active") AS "fromPriceFen"
  FROM "Product" p
  WHERE p."active"
  ORDER BY p."createdAt", p."id"`;

/** Active products with their first photo and the price of their cheapest active SKU, for the shop's home page. */
export function listProductsForHome(): Promise<HomeProduct[]> {
  return queryRows<HomeProduct>("Product.forHome", HOME_PRODUCTS_SQL, []);
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

type ProductPageRow = Pick<Product, "slug" | "nameZh" | "nameEn" | "descriptionZh" | "descriptionEn" | "seasonZh" | "seasonEn"> & {
  images: { path: string; altZh: string; altEn: string; width: number; height: number }[];
  skus: { id: string; nameZh: string; nameEn: string; priceFen: number; maxPerOrder: number; available: number }[];
  households: { displayName: string | null; villageGroup: string; story: string | null; storyEn: string | null }[];
  ratingCount: number;
  ratingAverage: number | null;
  latestComments: { stars: number; comment: string; createdAt: string }[];
};

// The whole page in one statement on the pool (`queryRows` says why): the product, its photos, its active SKUs with
// the units on sale today, the households that consented to be shown and supplied it, and its ratings. Instants inside
// JSON carry their offset (AT TIME ZONE 'UTC' makes them timestamptz), so they parse the same in any time zone.
const PRODUCT_PAGE_SQL = `
  SELECT p."slug", p."nameZh", p."nameEn", p."descriptionZh", p."descriptionEn", p."seasonZh", p."seasonEn",
         COALESCE((SELECT json_agg(json_build_object('path', i."path", 'altZh', i."altZh", 'altEn', i."altEn",
                                                     'width', i."width", 'height', i."height") ORDER BY i."sortOrder", i."id")
                   FROM "ProductImage" i WHERE i."productId" = p."id"), '[]'::json) AS "images",
         COALESCE((SELECT json_agg(json_build_object('id', s."id", 'nameZh', s."nameZh", 'nameEn', s."nameEn",
                                                     'priceFen', s."priceFen", 'maxPerOrder', s."maxPerOrder",
                                                     'available', COALESCE((SELECT SUM("free_units"(l))::int FROM "StockLot" l
                                                                            WHERE l."skuId" = s."id" AND l."bestBefore" >= $2::date), 0))
                                   ORDER BY s."priceFen", s."id")
                   FROM "Sku" s WHERE s."productId" = p."id" AND s."active"), '[]'::json) AS "skus",
         COALESCE((SELECT json_agg(json_build_object('displayName', h."displayName", 'villageGroup', h."villageGroup",
                                                     'story', h."story", 'storyEn', h."storyEn") ORDER BY h."code")
                   FROM (SELECT h.* FROM "Household" h
                         WHERE h."consentToDisplay" AND EXISTS (
                           SELECT 1 FROM "StockLot" l JOIN "Sku" s ON s."id" = l."skuId"
                           WHERE l."householdId" = h."id" AND s."productId" = p."id")
                         ORDER BY h."code" LIMIT $3) h), '[]'::json) AS "households",
         (SELECT COUNT(*)::int FROM "LineRating" r WHERE r."productId" = p."id") AS "ratingCount",
         (SELECT AVG(r."stars")::float FROM "LineRating" r WHERE r."productId" = p."id") AS "ratingAverage",
         COALESCE((SELECT json_agg(json_build_object('stars', r."stars", 'comment', r."comment",
                                                     'createdAt', r."createdAt" AT TIME ZONE 'UTC') ORDER BY r."createdAt" DESC, r."orderLineId")
                   FROM (SELECT * FROM "LineRating" r
                         WHERE r."productId" = p."id" AND r."hiddenAt" IS NULL AND r."comment" IS NOT NULL
                         ORDER BY r."createdAt" DESC, r."orderLineId" LIMIT $4) r), '[]'::json) AS "latestComments"
  FROM "Product" p
  WHERE p."slug" = $1 AND p."active"`;

/**
 * An active product's page: its photos, its active SKUs with price and stock state, and the stories of the households
 * that supplied it. Null for an unknown or withdrawn product. Households appear only with their consent and only
 * with what they agreed to show (DOMAIN §7): never the head's name, phone, ID or any other field of the file.
 */
export async function getProductPage(slug: string, now = new Date()) {
  const [row] = await queryRows<ProductPageRow>("Product.page", PRODUCT_PAGE_SQL, [
    slug,
    shopDateOf(now),
    STORIES_PER_PRODUCT,
    LATEST_COMMENTS,
  ]);
  if (!row) return null;
  const { skus, ratingCount, ratingAverage, latestComments, ...shown } = row;
  return {
    ...shown,
    skus: skus.map(({ available, ...sku }) => ({ ...sku, stock: stockState(available) })),
    ratings: {
      count: ratingCount,
      average: ratingCount && ratingAverage !== null ? averageText(ratingAverage) : null,
      latest: latestComments.map((rating) => ({ ...rating, createdAt: new Date(rating.createdAt) })),
    },
  };
}
