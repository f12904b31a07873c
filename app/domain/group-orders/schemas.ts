// The organizer's forms, shared by the browser (conform validates as fields are left) and the actions. Messages are
// message keys. Plain zod with no server imports.
import { z } from "zod";
import { yuanField } from "~/domain/money-fields";
import { isCalendarDate, parseShopDate, parseShopDateTime } from "~/utils/dates";

const required = { error: "groupOrders.errors.required" } as const;

const shopDateTime = z
  .string(required)
  .transform(
    (value, ctx) => parseShopDateTime(value) ?? (ctx.addIssue({ code: "custom", message: "groupOrders.errors.invalidDate" }), z.NEVER),
  );

const shopDate = z
  .string(required)
  .refine(isCalendarDate, "groupOrders.errors.invalidDate")
  .transform((value) => parseShopDate(value)!);

/** Destructive steps carry `confirm=yes` from their confirmation; without it nothing happens. */
const confirmed = z.literal("yes", { error: "errors.confirmRequired" });

/** Fields the page fills in itself (a SKU's row): wrong only when the page is out of date or the form was forged. */
const STALE = "errors.staleForm";

export const NewGroupOrderSchema = z.object({
  title: z.string(required).trim().min(1, required.error).max(100, "errors.tooLong"),
  unitIds: z
    .array(z.string({ error: "groupOrders.errors.unknownUnit" }).max(100, "groupOrders.errors.unknownUnit"))
    .min(1, "groupOrders.errors.unknownUnit")
    .max(100, "groupOrders.errors.unknownUnit")
    .default([]),
  items: z
    .array(
      z.object({
        skuId: z.string({ error: STALE }).max(100, STALE),
        include: z.boolean({ error: STALE }).optional(),
        limit: z
          .number({ error: "groupOrders.errors.invalidLimit" })
          .int("groupOrders.errors.invalidLimit")
          .min(1, "groupOrders.errors.invalidLimit")
          .max(1000, "groupOrders.errors.invalidLimit")
          .optional(),
      }),
    )
    .max(500, STALE)
    .default([]),
  opensAt: shopDateTime,
  closesAt: shopDateTime,
  pickupPoint: z.string(required).trim().min(1, required.error).max(200, "errors.tooLong"),
  deliveryDate: shopDate,
  paymentModes: z.enum(["card", "unit_settlement", "both"], required),
});

export const ExtendSchema = z.object({ intent: z.literal("extend"), closesAt: shopDateTime });

export const SettlementSchema = z.object({
  intent: z.literal("settle"),
  unitId: z.string(required).max(100),
  amount: yuanField("groupOrders.errors.invalidAmount"),
  reference: z.string(required).trim().min(1, required.error).max(100, "errors.tooLong"),
  paidOn: shopDate,
});

/** Every form of a group order's page, told apart by `intent`. */
export const GroupOrderActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("close"), confirm: confirmed }),
    z.object({ intent: z.literal("deliver"), confirm: confirmed }),
    z.object({ intent: z.literal("cancel"), confirm: confirmed }),
    ExtendSchema,
    SettlementSchema,
  ],
  { error: "errors.badRequestTitle" },
);
