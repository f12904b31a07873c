import { describe, expect, it } from "vitest";
import { LOW_STOCK_THRESHOLD, stockState } from "~/domain/shop/stock";

describe("stockState", () => {
  it("is sold out at zero (and below, should a sum ever be negative)", () => {
    expect(stockState(0)).toEqual({ kind: "sold_out" });
    expect(stockState(-3)).toEqual({ kind: "sold_out" });
  });

  it("gives the count from 1 up to the threshold", () => {
    expect(stockState(1)).toEqual({ kind: "low", left: 1 });
    expect(stockState(LOW_STOCK_THRESHOLD)).toEqual({ kind: "low", left: 10 });
  });

  it("just says in stock above the threshold", () => {
    expect(stockState(LOW_STOCK_THRESHOLD + 1)).toEqual({ kind: "in_stock" });
    expect(stockState(5_000)).toEqual({ kind: "in_stock" });
  });
});
