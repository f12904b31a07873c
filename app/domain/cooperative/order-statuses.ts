// The payment states the cooperative's order list filters on; plain data so that the list ships no zod.
export const COOP_ORDER_STATUSES = ["pending_payment", "paid", "refunded", "cancelled", "expired"] as const;
export type CoopOrderStatus = (typeof COOP_ORDER_STATUSES)[number];
