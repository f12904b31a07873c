// The cooperative's catalogue: products, their SKUs and photos. Every function takes the acting coop user and
// works only on products of that user's village cooperative (403 for another's, 404 for none); every change is
// audited and drops the anonymous catalog pages this server has cached, so shoppers see it on their next visit.
import type { z } from "zod";
import { db, Prisma } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import { forgetCachedPages } from "~/utils/page-cache.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError } from "~/domain/errors";
import { cooperativeForVillage, missing, otherVillage } from "./scope.server";
import { checkPhoto, deletePhotoFile, storePhoto } from "./photos.server";
import type { NewSkuSchema, ProductSchema } from "./product-schema";

type Actor = { id: string; villageId: string | null };
type Client = Prisma.TransactionClient | typeof db;

export type ProductData = z.output<typeof ProductSchema>["data"];
export type SkuData = z.output<typeof NewSkuSchema>["data"];

const duplicateSlug = () => new DomainError("cooperative.products.errors.duplicateSlug", { field: "slug" });
const duplicateSkuCode = () => new DomainError("cooperative.products.errors.duplicateCode", { field: "code" });

/** Runs a catalogue change; a unique index that refuses a concurrent twin turns into the same error as the pre-check. */
async function catalogueChange<T>(change: () => Promise<T>, duplicate?: () => DomainError): Promise<T> {
  try {
    const result = await change();
    forgetCachedPages();
    return result;
  } catch (error) {
    throw duplicate && isUniqueViolation(error) ? duplicate() : error;
  }
}

/** Refuses unless the product is this cooperative's: 404 when there is none, 403 when it is another's. */
async function assertOwnProduct(client: Client, cooperativeId: string, productId: string) {
  const product = await client.product.findUnique({ where: { id: productId }, select: { cooperativeId: true } });
  if (!product) throw missing();
  if (product.cooperativeId !== cooperativeId) throw otherVillage();
}

/** Fields whose value differs, before and after, for the audit log. */
function differences<T extends Record<string, unknown>>(before: T, changes: Partial<T>) {
  const keys = (Object.keys(changes) as (keyof T)[]).filter((key) => changes[key] !== undefined && changes[key] !== before[key]);
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, changes[k]])),
  } as Prisma.InputJsonObject;
}

const productSelect = {
  slug: true,
  nameZh: true,
  nameEn: true,
  descriptionZh: true,
  descriptionEn: true,
  seasonZh: true,
  seasonEn: true,
  feeRateBp: true,
  active: true,
} as const;
const skuSelect = {
  id: true,
  code: true,
  nameZh: true,
  nameEn: true,
  priceFen: true,
  weightGrams: true,
  maxPerOrder: true,
  active: true,
} as const;

/** The coop user's cooperative; refused when the user serves no village with one. */
export function ownCooperative(actor: Actor) {
  return cooperativeForVillage(db, actor.villageId);
}

/** The coop's products and SKUs, for the list page. */
export async function listCoopProducts(actor: Actor) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return db.product.findMany({
    where: { cooperativeId: cooperative.id },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      slug: true,
      nameZh: true,
      nameEn: true,
      feeRateBp: true,
      active: true,
      _count: { select: { images: true } },
      skus: {
        orderBy: { code: "asc" },
        select: { id: true, code: true, nameZh: true, nameEn: true, priceFen: true, maxPerOrder: true, active: true },
      },
    },
  });
}

/** One product with everything its edit page shows. */
export async function getCoopProduct(actor: Actor, productId: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  await assertOwnProduct(db, cooperative.id, productId);
  return db.product.findUniqueOrThrow({
    where: { id: productId },
    select: {
      id: true,
      ...productSelect,
      skus: { orderBy: { code: "asc" }, select: skuSelect },
      images: {
        orderBy: [{ sortOrder: "asc" }, { id: "asc" }],
        select: { id: true, path: true, altZh: true, altEn: true, width: true, height: true },
      },
    },
  });
}

export async function createProduct(actor: Actor, data: ProductData) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return catalogueChange(
    () =>
      db.$transaction(async (tx) => {
        if (await tx.product.findUnique({ where: { slug: data.slug }, select: { id: true } })) throw duplicateSlug();
        const product = await tx.product.create({ data: { cooperativeId: cooperative.id, ...data }, select: { id: true } });
        await recordAudit(tx, { actorId: actor.id, action: "product.create", entityType: "Product", entityId: product.id, changes: data });
        return product;
      }),
    duplicateSlug,
  );
}

/**
 * Changes any of a product's fields. A new fee rate applies to future orders only: each order line keeps the rate
 * it was sold at.
 */
export async function updateProduct(actor: Actor, productId: string, changes: Partial<ProductData>) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return catalogueChange(
    () =>
      db.$transaction(async (tx) => {
        await assertOwnProduct(tx, cooperative.id, productId);
        const before = await tx.product.findUniqueOrThrow({ where: { id: productId }, select: productSelect });
        if (
          changes.slug &&
          changes.slug !== before.slug &&
          (await tx.product.findUnique({ where: { slug: changes.slug }, select: { id: true } }))
        )
          throw duplicateSlug();
        await tx.product.update({ where: { id: productId }, data: changes });
        await recordAudit(tx, {
          actorId: actor.id,
          action: "product.update",
          entityType: "Product",
          entityId: productId,
          changes: differences(before, changes),
        });
        return { id: productId };
      }),
    duplicateSlug,
  );
}

/** A new SKU under one of the coop's products. */
export async function createSku(actor: Actor, productId: string, data: SkuData) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return catalogueChange(
    () =>
      db.$transaction(async (tx) => {
        await assertOwnProduct(tx, cooperative.id, productId);
        if (await tx.sku.findUnique({ where: { code: data.code }, select: { id: true } })) throw duplicateSkuCode();
        const sku = await tx.sku.create({ data: { productId, ...data }, select: { id: true } });
        await recordAudit(tx, { actorId: actor.id, action: "sku.create", entityType: "Sku", entityId: sku.id, changes: data });
        return sku;
      }),
    duplicateSkuCode,
  );
}

/**
 * Changes any of a SKU's fields. Orders already placed keep the price they were placed at (OrderLine.unitPriceFen);
 * a cart holding the old price is told at checkout (price_changed). 404 when the SKU does not exist (or is not
 * under `productId`, when given).
 */
export async function updateSku(actor: Actor, skuId: string, changes: Partial<SkuData>, productId?: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return catalogueChange(
    () =>
      db.$transaction(async (tx) => {
        const sku = await tx.sku.findUnique({
          where: { id: skuId },
          select: { ...skuSelect, productId: true, product: { select: { cooperativeId: true } } },
        });
        if (!sku || (productId !== undefined && sku.productId !== productId)) throw missing();
        if (sku.product.cooperativeId !== cooperative.id) throw otherVillage();
        const { product: _product, id: _id, productId: _productId, ...before } = sku;
        if (
          changes.code &&
          changes.code !== before.code &&
          (await tx.sku.findUnique({ where: { code: changes.code }, select: { id: true } }))
        )
          throw duplicateSkuCode();
        await tx.sku.update({ where: { id: skuId }, data: changes });
        await recordAudit(tx, {
          actorId: actor.id,
          action: "sku.update",
          entityType: "Sku",
          entityId: skuId,
          changes: differences(before, changes),
        });
        return { id: skuId };
      }),
    duplicateSkuCode,
  );
}

/**
 * Adds a photo after the product's others, once its bytes show it is a JPEG, PNG or WebP image of at most the size
 * limit. The file is written only once the product is known to be the coop's; if the row then fails, a file no row
 * points at is removed again.
 */
export async function addProductPhoto(actor: Actor, productId: string, file: Blob, alt: { altZh: string; altEn: string }) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const product = await db.product.findUnique({ where: { id: productId }, select: { cooperativeId: true, nameZh: true, nameEn: true } });
  if (!product) throw missing();
  if (product.cooperativeId !== cooperative.id) throw otherVillage();
  const photo = await checkPhoto(file);
  const url = await storePhoto(photo);
  try {
    return await catalogueChange(() =>
      db.$transaction(async (tx) => {
        const last = await tx.productImage.aggregate({ where: { productId }, _max: { sortOrder: true } });
        const image = await tx.productImage.create({
          data: {
            productId,
            path: url,
            altZh: alt.altZh || product.nameZh,
            altEn: alt.altEn || product.nameEn,
            width: photo.width,
            height: photo.height,
            sortOrder: (last._max.sortOrder ?? -1) + 1,
          },
          select: { id: true, path: true, width: true, height: true },
        });
        await recordAudit(tx, {
          actorId: actor.id,
          action: "product.photo.add",
          entityType: "Product",
          entityId: productId,
          changes: { imageId: image.id, path: url },
        });
        return image;
      }),
    );
  } catch (error) {
    await deleteUnreferenced(url);
    throw error;
  }
}

/** Puts a photo first, so the home page and the top of the product page show it. */
export async function movePhotoFirst(actor: Actor, productId: string, imageId: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  await catalogueChange(() =>
    db.$transaction(async (tx) => {
      await assertOwnProduct(tx, cooperative.id, productId);
      const first = await tx.productImage.aggregate({ where: { productId }, _min: { sortOrder: true } });
      const moved = await tx.productImage.updateMany({
        where: { id: imageId, productId },
        data: { sortOrder: (first._min.sortOrder ?? 0) - 1 },
      });
      if (moved.count === 0) throw missing();
      await recordAudit(tx, {
        actorId: actor.id,
        action: "product.photo.first",
        entityType: "Product",
        entityId: productId,
        changes: { imageId },
      });
    }),
  );
}

/** Removes a photo from the product, and its file once no photo row uses it. */
export async function removeProductPhoto(actor: Actor, productId: string, imageId: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const removed = await catalogueChange(() =>
    db.$transaction(async (tx) => {
      await assertOwnProduct(tx, cooperative.id, productId);
      const image = await tx.productImage.findFirst({ where: { id: imageId, productId }, select: { path: true } });
      if (!image) throw missing();
      await tx.productImage.delete({ where: { id: imageId } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "product.photo.remove",
        entityType: "Product",
        entityId: productId,
        changes: { imageId, path: image.path },
      });
      return image;
    }),
  );
  await deleteUnreferenced(removed.path);
}

async function deleteUnreferenced(url: string) {
  if ((await db.productImage.count({ where: { path: url } })) === 0) await deletePhotoFile(url);
}
