// The forms of counted purchases (targets, receipt, ratings) and the bureau's GET query, shared by the browser and
// the actions. Messages are message keys. No server imports.
import { z } from "zod";
import { yuanField } from "~/domain/money-fields";
import { currentShopYear } from "~/utils/dates";

/** A form whose `intent` is missing or unknown is not one of the page's forms. */
export const unknownIntent = { error: "errors.badRequestTitle" } as const;

/** A hidden field the page itself filled in (a row's id): wrong only when the page is out of date or forged. */
const hiddenId = z.string({ error: "errors.staleForm" }).min(1, "errors.staleForm").max(100, "errors.staleForm");

/** Targets and counted purchases start with the shop; a year is offered up to next year's planning. */
export const FIRST_TARGET_YEAR = 2016;

const targetYear = z.coerce
  .number({ error: "purchases.errors.year" })
  .int("purchases.errors.year")
  .refine((year) => year >= FIRST_TARGET_YEAR && year <= currentShopYear() + 1, "purchases.errors.year");

/** A unit's member count: a whole number of people, 0 to 1,000,000. */
const memberCount = z.coerce
  .number({ error: "purchases.errors.members" })
  .int("purchases.errors.members")
  .min(0, "purchases.errors.members")
  .max(1_000_000, "purchases.errors.members");

/**
 * A unit's target for a year: either an amount in yuan, or an amount per member (multiplied by the unit's members,
 * which the same form may set). The product is checked against the column in the domain command, which knows it.
 */
export const TargetSchema = z.object({
  intent: z.literal("target", unknownIntent),
  mode: z.enum(["total", "perMember"], { error: "purchases.errors.mode" }),
  unitId: z.string({ error: "purchases.errors.unit" }).min(1, "purchases.errors.unit").max(100, "purchases.errors.unit"),
  year: targetYear,
  amount: yuanField("purchases.errors.target", { allowZero: true }),
  memberCount: memberCount.optional(),
});

export type TargetInput = z.infer<typeof TargetSchema>;

export const MAX_AUTO_RECEIPT_DAYS = 90;

export const AutoReceiptSchema = z.object({
  intent: z.literal("autoReceipt", unknownIntent),
  days: z.coerce
    .number({ error: "purchases.errors.autoDays" })
    .int("purchases.errors.autoDays")
    .min(1, "purchases.errors.autoDays")
    .max(MAX_AUTO_RECEIPT_DAYS, "purchases.errors.autoDays"),
});

export const ReceiveSchema = z.object({ intent: z.literal("receive", unknownIntent) });

export const MAX_COMMENT_LENGTH = 500;

/** One rating: 1–5 whole stars ("0", "6", "five" are refused), an optional comment. */
export const RateSchema = z.object({
  intent: z.literal("rate", unknownIntent),
  orderLineId: z.string({ error: "purchases.errors.line" }).min(1, "purchases.errors.line").max(100, "purchases.errors.line"),
  stars: z.coerce
    .number({ error: "purchases.errors.stars" })
    .int("purchases.errors.stars")
    .min(1, "purchases.errors.stars")
    .max(5, "purchases.errors.stars"),
  comment: z
    .string({ error: "purchases.errors.comment" })
    .trim()
    .max(MAX_COMMENT_LENGTH, "purchases.errors.comment")
    .optional()
    .transform((text) => (text ? text : undefined)),
});

export const ConfirmPickupSchema = z.object({ intent: z.literal("pickup", unknownIntent), groupOrderId: hiddenId });

export const HideCommentSchema = z.object({
  intent: z.literal("hide", unknownIntent),
  orderLineId: hiddenId,
  confirm: z.literal("yes", { error: "errors.badRequestTitle" }),
});

export const BureauQuerySchema = z.object({
  year: targetYear.optional(),
  sort: z.enum(["name", "counted", "target", "progress"], { error: "purchases.errors.sort" }).default("name"),
});

export const ProgressQuerySchema = z.object({ year: targetYear.optional() });
