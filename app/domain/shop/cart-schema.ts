// The cart's forms, shared by the browser (the product page's add-to-cart form checks its quantity as it is left)
// and the cart action. Messages are message refs. Plain zod with no server imports.
import { z } from "zod";
import { messageRef } from "~/i18n/i18n";

// The per-SKU limit is known to the browser (it renders the SKU) but not to the parser before it looks the SKU up,
// so the server's schema leaves `max` to the domain, which answers with the same message.
function quantityField(min: 0 | 1, maxPerOrder?: number) {
  const quantity = z
    .number({ error: "shop.errors.quantityInvalid" })
    .int("shop.errors.quantityInvalid")
    .min(min, min === 1 ? "shop.errors.quantityTooSmall" : "shop.errors.quantityInvalid");
  return maxPerOrder === undefined ? quantity : quantity.max(maxPerOrder, messageRef("shop.errors.overLimit", { max: maxPerOrder }));
}

const skuId = z.string({ error: "shop.errors.unavailable" }).min(1, "shop.errors.unavailable").max(100, "shop.errors.unavailable");

/** Adding a SKU from its product page, where its maxPerOrder is known. */
export function addToCartSchema(maxPerOrder?: number) {
  return z.object({ intent: z.literal("add"), skuId, quantity: quantityField(1, maxPerOrder) });
}

export const CartActionSchema = z.discriminatedUnion(
  "intent",
  [
    addToCartSchema(),
    z.object({ intent: z.literal("update"), skuId, quantity: quantityField(0) }),
    z.object({ intent: z.literal("remove"), skuId }),
  ],
  { error: "errors.badRequestTitle" },
);
