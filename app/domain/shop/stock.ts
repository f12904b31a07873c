// What a shopper is told about a SKU's stock. Exact counts are shown only when few are left: they help a buyer
// decide quickly, while a large number would say nothing useful and only expose the cooperative's stock.

export const LOW_STOCK_THRESHOLD = 10;

export type StockState = { kind: "in_stock" } | { kind: "low"; left: number } | { kind: "sold_out" };

/** `available` is the sum over unexpired lots of received − allocated − written off. */
export function stockState(available: number): StockState {
  if (available <= 0) return { kind: "sold_out" };
  if (available <= LOW_STOCK_THRESHOLD) return { kind: "low", left: available };
  return { kind: "in_stock" };
}
