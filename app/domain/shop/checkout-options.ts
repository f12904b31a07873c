// Which way of getting an order takes which payment: the rules place_order enforces, said before the buyer submits so
// that the cart and checkout never offer a combination that will be refused. Home delivery is paid online (unit
// settlement is a unit paying for its own group order, DOMAIN §6); a group order takes the modes its organizer
// allowed; online payment only once Stripe is configured. Browser-safe: the checkout page re-applies these as the
// buyer switches between ways.
import type { MessageKey } from "~/i18n/i18n";

export type Payment = "card" | "unit_settlement";

/** The order a page offers payments in: a unit's own settlement first, where it applies. */
export const PAYMENTS: readonly Payment[] = ["unit_settlement", "card"];

export type Way = { kind: "delivery" } | { kind: "group"; allowCard: boolean; allowUnitSettlement: boolean };

/** Why `payment` cannot pay for an order got `way`, or null when it can. */
export function paymentRefusal(way: Way, payment: Payment, cardConfigured: boolean): MessageKey | null {
  if (payment === "card") {
    if (way.kind === "group" && !way.allowCard) return "checkout.refusals.groupRefusesCard";
    return cardConfigured ? null : "checkout.refusals.cardNotConfigured";
  }
  if (way.kind === "delivery") return "checkout.refusals.unitSettlementOnlyForGroups";
  return way.allowUnitSettlement ? null : "checkout.refusals.groupRefusesUnitSettlement";
}

/** The payments an order got `way` can be paid with now, in the order offered. */
export function acceptedPayments(way: Way, cardConfigured: boolean): Payment[] {
  return PAYMENTS.filter((payment) => paymentRefusal(way, payment, cardConfigured) === null);
}

/** The payments `way` takes at all (whatever is configured), for saying up front which way needs which payment. */
export function paymentsOfWay(way: Way): Payment[] {
  if (way.kind === "delivery") return ["card"];
  return PAYMENTS.filter((payment) => (payment === "card" ? way.allowCard : way.allowUnitSettlement));
}

/** Why `way` cannot be chosen at all (no payment it takes is possible now), or null. */
export function wayRefusal(way: Way, cardConfigured: boolean): MessageKey | null {
  if (acceptedPayments(way, cardConfigured).length > 0) return null;
  return way.kind === "delivery" ? "checkout.refusals.deliveryNeedsCard" : "checkout.refusals.groupNeedsCard";
}

export const GROUP_FULFILMENT_PREFIX = "group:";

/** The form value of joining a group order (the fulfilment radio). */
export const groupFulfilment = (groupOrderId: string) => `${GROUP_FULFILMENT_PREFIX}${groupOrderId}`;
