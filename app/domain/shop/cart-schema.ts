// The cart action's form. Messages are message refs. Plain zod with no server imports.
import { z } from "zod";

// The per-SKU limit is not known to the parser before it looks the SKU up, so `max` is left to the domain, which
// answers with its own message (the product page's form states the limit to the browser as `max`).
function quantityField(min: 0 | 1) {
  return z
    .number({ error: "shop.errors.quantityInvalid" })
    .int("shop.errors.quantityInvalid")
    .min(min, min === 1 ? "shop.errors.quantityTooSmall" : "shop.errors.quantityInvalid");
}

const skuId = z.string({ error: "shop.errors.unavailable" }).min(1, "shop.errors.unavailable").max(100, "shop.errors.unavailable");

export const CartActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("add"), skuId, quantity: quantityField(1) }),
    z.object({ intent: z.literal("update"), skuId, quantity: quantityField(0) }),
    z.object({ intent: z.literal("remove"), skuId }),
  ],
  { error: "errors.badRequestTitle" },
);
