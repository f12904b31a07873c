import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFen } from "~/domain/money";

describe("formatFen", () => {
  it.each([
    [0, "¥0.00"],
    [5, "¥0.05"],
    [123450, "¥1,234.50"],
    [8800, "¥88.00"],
    [-1999, "-¥19.99"],
    [100000000, "¥1,000,000.00"],
  ])("formats %i fen as %s", (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it("refuses anything that is not a whole number of fen", () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
    expect(() => formatFen(Number.NaN)).toThrow(RangeError);
  });

  it("round-trips every amount back to the same fen", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        const digits = formatFen(fen).replace(/[¥,.]/g, "");
        expect(Number(digits)).toBe(fen);
      }),
    );
  });
});
