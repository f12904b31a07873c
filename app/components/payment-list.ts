import type { Payment } from "~/domain/shop/checkout-options";
import { useLocale, useT } from "~/i18n/react";

// The cart and checkout pages both name the ways to pay; apart from either route so that neither downloads the other.

/** "unit settlement or online payment", in the reader's language. */
export function usePaymentList() {
  const t = useT();
  const locale = useLocale();
  return (payments: Payment[]) => payments.map((payment) => t(`checkout.paymentNames.${payment}`)).join(locale === "en" ? " or " : "或");
}
