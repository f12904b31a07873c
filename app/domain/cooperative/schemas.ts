// The cooperative console's forms (orders, lots, payouts, picking), shared by the browser (conform validates as
// fields are left) and the actions. Messages are message keys. Plain zod with no server imports; the product and
// SKU forms are in product-schema.ts.
import { z } from "zod";
import { yuanField } from "~/domain/money-fields";
import { isCalendarDate, parseShopDate } from "~/utils/dates";
import { FULFILMENT_STEPS } from "./fulfilment-steps";

export { COOP_ORDER_STATUSES, type CoopOrderStatus } from "./order-statuses";

/** A hidden field the page itself filled in (a row's id): wrong only when the page is out of date or forged. */
export const hiddenId = z.string({ error: "errors.staleForm" }).min(1, "errors.staleForm").max(100, "errors.staleForm");

/** The key a page view gives its form, so a resubmission (a retry, a double tap) is done once. */
const formKey = z.string({ error: "errors.staleForm" }).min(8, "errors.staleForm").max(100, "errors.staleForm");

/** Steps confirmed in a disclosure (<RowAction confirm>), which sends `confirm=yes`. */
export const confirmed = z.literal("yes", { error: "errors.confirmRequired" });

/** Forms whose confirmation is a box to tick beside the other fields. */
const ticked = z.literal("yes", { error: "cooperative.errors.confirm" });

// A refinement rather than .int(): a failed .int() stops the object's checks, and the form should show every problem.
const wholeUnits = z.coerce
  .number({ error: "cooperative.errors.quantity" })
  .refine((n) => Number.isInteger(n) && n >= 1 && n <= 100_000, "cooperative.errors.quantity");

const reason = z
  .string({ error: "cooperative.errors.reason" })
  .trim()
  .min(2, "cooperative.errors.reason")
  .max(200, "cooperative.errors.reason");

const calendarDate = z
  .string({ error: "cooperative.errors.date" })
  .refine(isCalendarDate, "cooperative.errors.date")
  .transform((value) => parseShopDate(value)!);

const step = z.enum(FULFILMENT_STEPS, { error: "errors.staleForm" });

/** A form whose `intent` is missing or unknown is not one of the page's forms. */
const unknownIntent = { error: "errors.badRequestTitle" } as const;

/** Which of a page's forms was sent. */
export const intent = <const Value extends string>(value: Value) => z.literal(value, unknownIntent);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function areDates(value: unknown, ...keys: string[]) {
  if (!isObject(value)) return false;
  return keys.every((key) => {
    const field = value[key];
    return field instanceof Date && !Number.isNaN(field.getTime());
  });
}

/** The receive-a-lot form. Best-before before the received date, or produced after it, is refused. */
export const ReceiveLotSchema = z
  .object({
    intent: intent("receive"),
    skuId: z.string({ error: "cooperative.errors.sku" }).min(1, "cooperative.errors.sku").max(100, "cooperative.errors.sku"),
    householdId: z
      .string({ error: "cooperative.errors.household" })
      .min(1, "cooperative.errors.household")
      .max(100, "cooperative.errors.household"),
    quantity: wholeUnits,
    producedOn: calendarDate,
    receivedOn: calendarDate,
    bestBefore: calendarDate,
    notes: z.string({ error: "errors.tooLong" }).trim().max(500, "errors.tooLong").optional(),
    idempotencyKey: z.uuid("errors.staleForm"),
  })
  // Run even when another field is wrong (`when`), so the form shows every problem at once.
  .refine((lot) => lot.bestBefore >= lot.receivedOn, {
    path: ["bestBefore"],
    message: "cooperative.errors.bestBeforeBeforeReceived",
    when: ({ value }) => areDates(value, "receivedOn", "bestBefore"),
  })
  .refine((lot) => lot.producedOn <= lot.receivedOn, {
    path: ["producedOn"],
    message: "cooperative.errors.producedAfterReceived",
    when: ({ value }) => areDates(value, "producedOn", "receivedOn"),
  });

export type ReceiveLotInput = z.output<typeof ReceiveLotSchema>;

/** Writing units of one lot off (spoiled, damaged): how many, why, and a ticked confirmation. */
export const WriteOffSchema = z.object({
  intent: intent("writeOff"),
  lotId: hiddenId,
  quantity: wholeUnits,
  reason,
  idempotencyKey: z.uuid("errors.staleForm"),
  confirm: ticked,
});

export const LotActionSchema = z.discriminatedUnion("intent", [ReceiveLotSchema, WriteOffSchema], unknownIntent);

/** A payout recorded by the cooperative (cash or bank transfer), never more than the household's balance. */
export const PayoutSchema = z.object({
  amount: yuanField("cooperative.errors.amount"),
  method: z.enum(["cash", "bank_transfer"], { error: "cooperative.errors.method" }),
  reference: z.string({ error: "cooperative.errors.reference" }).trim().min(1, "cooperative.errors.reference").max(100, "errors.tooLong"),
  paidOn: calendarDate,
  idempotencyKey: formKey,
  confirm: ticked,
});

/** A refund of some units of one line, or of everything left (with the delivery fee). */
export const RefundSchema = z
  .object({
    intent: intent("refund"),
    idempotencyKey: formKey,
    scope: z.enum(["units", "full"], { error: "cooperative.errors.refundScope" }),
    orderLineId: z.string({ error: "cooperative.errors.orderLine" }).max(100, "cooperative.errors.orderLine").optional(),
    quantity: wholeUnits.optional(),
    reason,
    confirm: ticked,
  })
  // A refund of units names the line and how many; run even when another field is wrong, as above.
  .refine((refund) => refund.scope !== "units" || Boolean(refund.orderLineId), {
    path: ["orderLineId"],
    message: "cooperative.errors.orderLine",
    when: ({ value }) => isObject(value),
  })
  .refine((refund) => refund.scope !== "units" || refund.quantity !== undefined, {
    path: ["quantity"],
    message: "cooperative.errors.quantity",
    when: ({ value }) => isObject(value),
  });

/** Moving an allocation to another lot of the same SKU before packing. */
export const MoveSchema = z.object({
  intent: intent("move"),
  idempotencyKey: formKey,
  allocationId: hiddenId,
  toLotId: z
    .string({ error: "cooperative.reallocation.errors.chooseLot" })
    .min(1, "cooperative.reallocation.errors.chooseLot")
    .max(100, "cooperative.reallocation.errors.chooseLot"),
  confirm: ticked,
});

/** Every form of an order's page, told apart by `intent`. */
export const OrderActionSchema = z.discriminatedUnion(
  "intent",
  [
    RefundSchema,
    MoveSchema,
    z.object({ intent: intent("cancel"), confirm: confirmed }),
    z.object({ intent: intent("step"), step, confirm: confirmed }),
  ],
  unknownIntent,
);

/** One fulfilment step for every paid order of a group order that waits for it. */
export const PickingStepSchema = z.object({ intent: intent("step"), groupOrderId: hiddenId, step, confirm: confirmed });
