import { Form, useNavigation } from "@remix-run/react";
import { useT } from "~/i18n/react";

// The product and cart pages share these; they live apart from the cart route so that the product page does not
// download the cart page's code (issue 11: ≤ 100 KB of JS per page).

export const primaryButton =
  "rounded-md bg-brand-700 px-4 py-2.5 font-medium text-white shadow-sm hover:bg-brand-800 disabled:cursor-wait disabled:opacity-70";

/** True while a form posting to /cart for this SKU is submitting or its redirect is loading. */
export function useCartPending(skuId: string) {
  const navigation = useNavigation();
  return navigation.state !== "idle" && navigation.formAction === "/cart" && navigation.formData?.get("skuId") === skuId;
}

/**
 * The product page's add-to-cart form, posting to the cart route's action. A quantity out of range is stopped by the
 * browser's own checks (no conform or zod to download for one number); the rest (the SKU withdrawn meanwhile, the cart
 * already at the limit, a quantity sent without those checks) the server refuses and the cart page the post lands on
 * says why.
 */
export function AddToCartForm({ skuId, skuName, maxPerOrder }: { skuId: string; skuName: string; maxPerOrder: number }) {
  const t = useT();
  const pending = useCartPending(skuId);
  const quantityId = `add-to-cart-${skuId}-quantity`;
  return (
    <Form method="post" action="/cart" preventScrollReset id={`add-to-cart-${skuId}`} className="mt-3">
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="skuId" value={skuId} />
      <div className="flex items-end gap-3">
        <div className="w-20">
          <label htmlFor={quantityId} className="block text-sm font-medium text-stone-700">
            {t("shop.product.quantity")}
          </label>
          <input
            id={quantityId}
            name="quantity"
            type="number"
            required
            min={1}
            max={maxPerOrder}
            step={1}
            defaultValue="1"
            inputMode="numeric"
            aria-describedby={`${quantityId}-limit`}
            className="mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 user-invalid:border-red-500"
          />
        </div>
        <button type="submit" disabled={pending} aria-busy={pending} className={`flex-1 ${primaryButton}`}>
          {pending ? t("shop.product.adding") : t("shop.product.addToCart")}
          <span className="sr-only"> {skuName}</span>
        </button>
      </div>
      <p id={`${quantityId}-limit`} className="mt-1 text-xs text-stone-500">
        {t("shop.product.limit", { max: maxPerOrder })}
      </p>
    </Form>
  );
}
