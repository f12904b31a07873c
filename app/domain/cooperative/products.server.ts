// The cooperative's catalogue: products, their SKUs and photos. Every function takes the acting coop user and
// works only on products of that user's village cooperative (CooperativeAccessError otherwise); every change is
// audited and drops the anonymous catalog pages this server has cached, so shoppers see it on their next visit.
import { z } from "zod";
import { db, Prisma } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import { forgetCachedPages } from "~/utils/page-cache.server";
import { recordAudit } from "~/domain/audit.server";
import { CooperativeAccessError, cooperativeForVillage } from "./scope.server";
import { deletePhotoFile, storePhoto, type CheckedPhoto } from "./photos.server";
import { optionalText, type ProductSchema, type SkuSchema } from "./product-schema";

type Actor = { id: string; villageId: string | null };
type Client = Prisma.TransactionClient | typeof db;

export const PhotoSchema = z.object({
  photo: z.instanceof(Blob, { message: "cooperative.products.errors.photoMissing" }),
  altZh: optionalText(120),
  altEn: optionalText(160),
});

export type ProductData = z.output<typeof ProductSchema>;
export type SkuData = z.output<typeof SkuSchema>;

export class DuplicateSlugError extends Error {}
export class DuplicateSkuCodeError extends Error {}

/** Runs a catalogue change; a unique index that refuses a concurrent twin turns into the same error as the pre-check. */
async function catalogueChange<T>(change: () => Promise<T>, duplicate?: () => Error): Promise<T> {
  try {
    const result = await change();
    forgetCachedPages();
    return result;
  } catch (error) {
    throw duplicate && isUniqueViolation(error) ? duplicate() : error;
  }
}

/** The product of this cooperative, null when there is none; refused when it is another cooperative's. */
async function ownProduct(client: Client, cooperativeId: string, productId: string) {
  const product = await client.product.findUnique({ where: { id: productId }, select: { cooperativeId: true } });
  if (!product) return null;
  if (product.cooperativeId !== cooperativeId) throw new CooperativeAccessError();
  return product;
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

/** One product with everything its edit page shows; null when it does not exist. */
export async function getCoopProduct(actor: Actor, productId: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  if (!(await ownProduct(db, cooperative.id, productId))) return null;
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
        if (await tx.product.findUnique({ where: { slug: data.slug }, select: { id: true } })) throw new DuplicateSlugError();
        const product = await tx.product.create({ data: { cooperativeId: cooperative.id, ...data }, select: { id: true } });
        await recordAudit(tx, { actorId: actor.id, action: "product.create", entityType: "Product", entityId: product.id, changes: data });
        return product;
      }),
    () => new DuplicateSlugError(),
  );
}

/**
 * Changes any of a product's fields. A new fee rate applies to future orders only: each order line keeps the rate
 * it was sold at. Null when the product does not exist.
 */
export async function updateProduct(actor: Actor, productId: string, changes: Partial<ProductData>) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return catalogueChange(
    () =>
      db.$transaction(async (tx) => {
        if (!(await ownProduct(tx, cooperative.id, productId))) return null;
        const before = await tx.product.findUniqueOrThrow({ where: { id: productId }, select: productSelect });
        if (
          changes.slug &&
          changes.slug !== before.slug &&
          (await tx.product.findUnique({ where: { slug: changes.slug }, select: { id: true } }))
        )
          throw new DuplicateSlugError();
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
    () => new DuplicateSlugError(),
  );
}

/** A new SKU under one of the coop's products; null when the product does not exist. */
export async function createSku(actor: Actor, productId: string, data: SkuData) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return catalogueChange(
    () =>
      db.$transaction(async (tx) => {
        if (!(await ownProduct(tx, cooperative.id, productId))) return null;
        if (await tx.sku.findUnique({ where: { code: data.code }, select: { id: true } })) throw new DuplicateSkuCodeError();
        const sku = await tx.sku.create({ data: { productId, ...data }, select: { id: true } });
        await recordAudit(tx, { actorId: actor.id, action: "sku.create", entityType: "Sku", entityId: sku.id, changes: data });
        return sku;
      }),
    () => new DuplicateSkuCodeError(),
  );
}

/**
 * Changes any of a SKU's fields. Orders already placed keep the price they were placed at (OrderLine.unitPriceFen);
 * a cart holding the old price is told at checkout (price_changed). Null when the SKU does not exist (or is not
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
        if (!sku || (productId !== undefined && sku.productId !== productId)) return null;
        if (sku.product.cooperativeId !== cooperative.id) throw new CooperativeAccessError();
        const { product: _product, id: _id, productId: _productId, ...before } = sku;
        if (
          changes.code &&
          changes.code !== before.code &&
          (await tx.sku.findUnique({ where: { code: changes.code }, select: { id: true } }))
        )
          throw new DuplicateSkuCodeError();
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
    () => new DuplicateSkuCodeError(),
  );
}

/**
 * Adds a checked photo after the product's others. The file is written only once the product is known to be the
 * coop's; if the row then fails, a file no row points at is removed again.
 */
export async function addProductPhoto(actor: Actor, productId: string, photo: CheckedPhoto, alt: { altZh: string; altEn: string }) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const product = await db.product.findUnique({ where: { id: productId }, select: { cooperativeId: true, nameZh: true, nameEn: true } });
  if (!product) return null;
  if (product.cooperativeId !== cooperative.id) throw new CooperativeAccessError();
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

/** Puts a photo first, so the home page and the top of the product page show it. False when there is no such photo. */
export async function movePhotoFirst(actor: Actor, productId: string, imageId: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  return catalogueChange(() =>
    db.$transaction(async (tx) => {
      if (!(await ownProduct(tx, cooperative.id, productId))) return false;
      const first = await tx.productImage.aggregate({ where: { productId }, _min: { sortOrder: true } });
      const moved = await tx.productImage.updateMany({
        where: { id: imageId, productId },
        data: { sortOrder: (first._min.sortOrder ?? 0) - 1 },
      });
      if (moved.count === 0) return false;
      await recordAudit(tx, {
        actorId: actor.id,
        action: "product.photo.first",
        entityType: "Product",
        entityId: productId,
        changes: { imageId },
      });
      return true;
    }),
  );
}

/** Removes a photo from the product, and its file once no photo row uses it. False when there is no such photo. */
export async function removeProductPhoto(actor: Actor, productId: string, imageId: string) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const removed = await catalogueChange(() =>
    db.$transaction(async (tx) => {
      if (!(await ownProduct(tx, cooperative.id, productId))) return null;
      const image = await tx.productImage.findFirst({ where: { id: imageId, productId }, select: { path: true } });
      if (!image) return null;
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
  if (!removed) return false;
  await deleteUnreferenced(removed.path);
  return true;
}

async function deleteUnreferenced(url: string) {
  if ((await db.productImage.count({ where: { path: url } })) === 0) await deletePhotoFile(url);
}
