// The cooperative's product and SKU forms. Plain zod with no server imports: the browser validates a field as it
// is left with exactly the rules the server applies on submit (products.server.ts).
import { z } from "zod";
import { percentField, yuanField } from "~/domain/money";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU_CODE = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

const text = (max: number) =>
  z.string({ error: "errors.required" }).trim().min(1, "errors.required").max(max, "cooperative.products.errors.tooLong");
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "cooperative.products.errors.tooLong")
    .optional()
    .transform((value) => value ?? "");
const wholeNumber = (min: number, max: number, message: "cooperative.errors.quantity" | "cooperative.products.errors.weight") =>
  z.coerce.number({ error: message }).refine((n) => Number.isInteger(n) && n >= min && n <= max, message);
const checkbox = z
  .literal("on")
  .optional()
  .transform((value) => value === "on");

const productFields = {
  slug: z
    .string()
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

/** The product form; an empty slug is derived from the English name. */
export const ProductSchema = z.object(productFields).transform(({ slug, feeRate, ...rest }, ctx) => {
  const chosen = slug ?? slugFrom(rest.nameEn);
  if (!chosen) {
    ctx.addIssue({ code: "custom", path: ["slug"], message: "cooperative.products.errors.slugNeeded" });
    return z.NEVER;
  }
  return { ...rest, slug: chosen, feeRateBp: feeRate };
});

export const SkuSchema = z.object(skuFields).transform(({ price, ...rest }) => ({ ...rest, priceFen: price }));

/** The list page's quick edits: a SKU's price, limit and availability; a product's fee rate and availability. */
export const SkuQuickEditSchema = z
  .object({ skuId: z.string().min(1), price: skuFields.price, maxPerOrder: skuFields.maxPerOrder, active: skuFields.active })
  .transform(({ skuId, price, ...rest }) => ({ skuId, changes: { ...rest, priceFen: price } }));

export const ProductQuickEditSchema = z
  .object({ productId: z.string().min(1), feeRate: productFields.feeRate, active: productFields.active })
  .transform(({ productId, feeRate, active }) => ({ productId, changes: { feeRateBp: feeRate, active } }));
