import { db } from "~/db/client.server";

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
      images: { orderBy: { sortOrder: "asc" }, take: 1, select: { path: true, altZh: true, altEn: true, width: true, height: true } },
      skus: { where: { active: true }, orderBy: { priceFen: "asc" }, take: 1, select: { priceFen: true } },
    },
  });
  return products.map(({ skus, images, ...product }) => ({ ...product, image: images[0] ?? null, fromPriceFen: skus[0]?.priceFen ?? null }));
}
