// The cooperative's product, SKU and photo forms. Plain zod with no server imports: the browser validates a field
// as it is left with exactly the rules the server applies on submit (products.server.ts).
import { z } from "zod";
import { percentField, yuanField } from "~/domain/money-fields";
import { confirmed, hiddenId, intent } from "./schemas";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU_CODE = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

const text = (max: number) =>
  z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(max, "cooperative.products.errors.tooLong");
const optionalText = (max: number) =>
  z
    .string({ error: "cooperative.products.errors.tooLong" })
    .trim()
    .max(max, "cooperative.products.errors.tooLong")
    .optional()
    .transform((value) => value ?? "");
const wholeNumber = (min: number, max: number, message: "cooperative.errors.quantity" | "cooperative.products.errors.weight") =>
  z.coerce.number({ error: message }).refine((n) => Number.isInteger(n) && n >= min && n <= max, message);
const checkbox = z
  .literal("on", { error: "errors.badRequestTitle" })
  .optional()
  .transform((value) => value === "on");

const productFields = {
  slug: z
    .string({ error: "cooperative.products.errors.slug" })
    .trim()
    .toLowerCase()
    .max(60, "cooperative.products.errors.slug")
    .regex(SLUG, "cooperative.products.errors.slug")
    .optional(),
  nameZh: text(60),
  nameEn: text(80),
  descriptionZh: optionalText(2000),
  descriptionEn: optionalText(4000),
  seasonZh: optionalText(40),
  seasonEn: optionalText(60),
  feeRate: percentField("cooperative.errors.feeRate"),
  active: checkbox,
};

const skuFields = {
  code: z.string({ error: "cooperative.products.errors.code" }).trim().toUpperCase().regex(SKU_CODE, "cooperative.products.errors.code"),
  nameZh: text(40),
  nameEn: text(60),
  price: yuanField("cooperative.errors.amount"),
  weightGrams: wholeNumber(1, 100_000, "cooperative.products.errors.weight"),
  maxPerOrder: wholeNumber(1, 1000, "cooperative.errors.quantity"),
  active: checkbox,
};

/** "Sweet-potato Noodles (2.5 kg)" → "sweet-potato-noodles-2-5-kg"; empty when the name has no Latin letters or digits. */
function slugFrom(name: string) {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

/** The product form (new and edit); an empty slug is derived from the English name. */
export const ProductSchema = z
  .object({ intent: intent("product"), ...productFields })
  .transform(({ intent, slug, feeRate, ...rest }, ctx) => {
    const chosen = slug ?? slugFrom(rest.nameEn);
    if (!chosen) {
      ctx.addIssue({ code: "custom", path: ["slug"], message: "cooperative.products.errors.slugNeeded" });
      return z.NEVER;
    }
    return { intent, data: { ...rest, slug: chosen, feeRateBp: feeRate } };
  });

/** A new SKU under the product. */
export const NewSkuSchema = z
  .object({ intent: intent("new-sku"), ...skuFields })
  .transform(({ intent, price, ...rest }) => ({ intent, data: { ...rest, priceFen: price } }));

/** Every field of an existing SKU. */
export const SkuSchema = z
  .object({ intent: intent("sku"), skuId: hiddenId, ...skuFields })
  .transform(({ intent, skuId, price, ...rest }) => ({ intent, skuId, changes: { ...rest, priceFen: price } }));

/** A photo to add: the file (checked by its bytes on the server) and what it shows, in both languages. */
export const PhotoSchema = z.object({
  photo: z.instanceof(Blob, { message: "cooperative.products.errors.photoMissing" }),
  altZh: optionalText(120),
  altEn: optionalText(160),
});

/** Every form of a product's page but the photo upload (multipart, PhotoSchema), told apart by `intent`. */
export const ProductPageActionSchema = z.discriminatedUnion(
  "intent",
  [
    ProductSchema,
    SkuSchema,
    NewSkuSchema,
    z.object({ intent: intent("photo-first"), imageId: hiddenId }),
    z.object({ intent: intent("photo-remove"), imageId: hiddenId, confirm: confirmed }),
  ],
  { error: "errors.badRequestTitle" },
);

/** The list page's quick edits: a SKU's price, limit and availability; a product's fee rate and availability. */
export const SkuQuickEditSchema = z
  .object({
    intent: intent("sku"),
    skuId: hiddenId,
    price: skuFields.price,
    maxPerOrder: skuFields.maxPerOrder,
    active: skuFields.active,
  })
  .transform(({ intent, skuId, price, maxPerOrder, active }) => ({ intent, skuId, changes: { maxPerOrder, active, priceFen: price } }));

export const ProductQuickEditSchema = z
  .object({ intent: intent("product"), productId: hiddenId, feeRate: productFields.feeRate, active: productFields.active })
  .transform(({ intent, productId, feeRate, active }) => ({ intent, productId, changes: { feeRateBp: feeRate, active } }));

export const ProductListActionSchema = z.discriminatedUnion("intent", [SkuQuickEditSchema, ProductQuickEditSchema], {
  error: "errors.badRequestTitle",
});
