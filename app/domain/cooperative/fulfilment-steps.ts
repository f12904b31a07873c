// An order's way out of the cooperative: unfulfilled → packed → shipped → delivered, one step at a time. Plain data
// with no server imports, so the order and picking pages offer only the step that can come next.
export const FULFILMENT_STEPS = ["packed", "shipped", "delivered"] as const;
export type FulfilmentStep = (typeof FULFILMENT_STEPS)[number];
export type FulfilmentStatus = "unfulfilled" | FulfilmentStep;

const NEXT: Record<FulfilmentStatus, FulfilmentStep | null> = {
  unfulfilled: "packed",
  packed: "shipped",
  shipped: "delivered",
  delivered: null,
};

/** The step an order at `status` can take next; null once it is delivered. */
export function nextFulfilmentStep(status: FulfilmentStatus): FulfilmentStep | null {
  return NEXT[status];
}

/** The status an order must have for `step` to apply to it. */
export function statusBefore(step: FulfilmentStep): FulfilmentStatus {
  return step === "packed" ? "unfulfilled" : step === "shipped" ? "packed" : "shipped";
}
