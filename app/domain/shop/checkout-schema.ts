// The checkout form, shared by the browser (conform checks it before sending and focuses the first mistake) and the
// action. Messages are message keys. Plain zod with no server imports. Which way of getting the order takes which
// payment is checkout-options.ts; the database has the last word on both (place_order).
import { z } from "zod";
import { GROUP_FULFILMENT_PREFIX as GROUP } from "./checkout-options";

const PHONE = /^1[3-9]\d{9}$/;

export const CheckoutSchema = z
  .object({
    // Made by the page it was sent from; without one the page is stale (or the request did not come from it).
    idempotencyKey: z.uuid({ error: "errors.staleForm" }),
    fulfilment: z
      .string({ error: "checkout.chooseFulfilment" })
      .max(120, "checkout.chooseFulfilment")
      .regex(/^(delivery|group:[\w-]+)$/, "checkout.chooseFulfilment"),
    paymentMethod: z.enum(["card", "unit_settlement"], { error: "checkout.choosePayment" }),
    recipientName: z.string({ error: "errors.required" }).trim().max(40, "errors.tooLong").optional(),
    recipientPhone: z
      .string({ error: "errors.invalidPhone" })
      .max(20, "errors.tooLong")
      .transform((phone) => phone.replace(/[\s-]/g, ""))
      .optional(),
    address: z.string({ error: "errors.required" }).trim().max(200, "errors.tooLong").optional(),
  })
  .superRefine((value, ctx) => {
    if (value.fulfilment !== "delivery") return;
    if (!value.recipientName) ctx.addIssue({ code: "custom", path: ["recipientName"], message: "errors.required" });
    if (!value.address) ctx.addIssue({ code: "custom", path: ["address"], message: "errors.required" });
    if (!PHONE.test(value.recipientPhone ?? "")) ctx.addIssue({ code: "custom", path: ["recipientPhone"], message: "errors.invalidPhone" });
  })
  .transform(({ idempotencyKey, paymentMethod, fulfilment, recipientName, recipientPhone, address }) => ({
    idempotencyKey,
    paymentMethod,
    fulfilment: fulfilment.startsWith(GROUP)
      ? { kind: "group_pickup" as const, groupOrderId: fulfilment.slice(GROUP.length) }
      : { kind: "delivery" as const, recipientName: recipientName ?? "", recipientPhone: recipientPhone ?? "", address: address ?? "" },
  }));

export { groupFulfilment } from "./checkout-options";
