// The buyer's payment form, shared by the order page and its action. Plain zod with no server imports.
import { z } from "zod";

/** "Pay now" on an unpaid card order: the order is the page's, so the form says only what it asks for. */
export const PayOrderSchema = z.object({ intent: z.literal("pay", { error: "errors.badRequestTitle" }) });
