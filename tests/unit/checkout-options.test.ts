import { describe, expect, it } from "vitest";
import { acceptedPayments, paymentRefusal, paymentsOfWay, wayRefusal, type Way } from "~/domain/shop/checkout-options";

const delivery: Way = { kind: "delivery" };
const group = (allowCard: boolean, allowUnitSettlement: boolean): Way => ({ kind: "group", allowCard, allowUnitSettlement });

describe("which way of getting an order takes which payment", () => {
  it("pays home delivery online only, and not at all while online payment is not configured", () => {
    expect(acceptedPayments(delivery, true)).toEqual(["card"]);
    expect(paymentRefusal(delivery, "unit_settlement", true)).toBe("checkout.refusals.unitSettlementOnlyForGroups");
    expect(acceptedPayments(delivery, false)).toEqual([]);
    expect(wayRefusal(delivery, false)).toBe("checkout.refusals.deliveryNeedsCard");
    expect(wayRefusal(delivery, true)).toBeNull();
    expect(paymentsOfWay(delivery)).toEqual(["card"]);
  });

  it("offers a group order the modes its organizer allowed, unit settlement first", () => {
    expect(acceptedPayments(group(true, true), true)).toEqual(["unit_settlement", "card"]);
    expect(acceptedPayments(group(true, true), false)).toEqual(["unit_settlement"]);
    expect(paymentRefusal(group(true, true), "card", false)).toBe("checkout.refusals.cardNotConfigured");
    expect(paymentRefusal(group(false, true), "card", true)).toBe("checkout.refusals.groupRefusesCard");
    expect(paymentRefusal(group(true, false), "unit_settlement", true)).toBe("checkout.refusals.groupRefusesUnitSettlement");
  });

  it("closes a card-only group order while online payment is not configured", () => {
    expect(wayRefusal(group(true, false), false)).toBe("checkout.refusals.groupNeedsCard");
    expect(wayRefusal(group(true, false), true)).toBeNull();
    expect(paymentsOfWay(group(true, false))).toEqual(["card"]);
  });
});
