import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_FEN, fenToYuanText, formatFen, parseYuanText } from "~/domain/money";
import { percentField, yuanField } from "~/domain/money-fields";

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

describe("yuan typed into a form", () => {
  it.each([
    ["12", 1200],
    ["12.5", 1250],
    ["0.01", 1],
    [" 88.00 ", 8800],
    ["21474836.47", MAX_FEN],
  ])("reads %s as %i fen", (text, fen) => {
    expect(parseYuanText(text)).toBe(fen);
  });

  it.each(["", "abc", "1.234", "-5", "1e3", "12,5", "0x10", "21474836.48", "123456789", "1234567890", "123456789012", "99999999.99"])(
    "refuses %j: not an amount, or more than the money column holds",
    (text) => {
      expect(parseYuanText(text)).toBeNull();
    },
  );

  it("gives a field message, never an overflow, for 9-, 10- and 12-digit amounts", () => {
    const field = yuanField("cooperative.errors.amount");
    for (const text of ["123456789", "1234567890", "123456789012"]) {
      const parsed = field.safeParse(text);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe("cooperative.errors.amount");
    }
    expect(field.safeParse("0").success).toBe(false);
    expect(yuanField("cooperative.errors.amount", { allowZero: true }).safeParse("0").data).toBe(0);
  });

  it("round-trips every amount the column holds through the text a form shows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_FEN }), (fen) => {
        expect(parseYuanText(fenToYuanText(fen))).toBe(fen);
      }),
    );
  });

  it("reads percentages as basis points within their bounds", () => {
    const share = percentField("households.errors.dropShare", { minBp: 100, maxBp: 9_999 });
    expect(share.safeParse("30").data).toBe(3000);
    expect(share.safeParse("12.5").data).toBe(1250);
    expect(share.safeParse("0.5").success).toBe(false);
    expect(share.safeParse("100").success).toBe(false);
  });
});
