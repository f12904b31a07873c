import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feeFor, reversalForRefund, splitLineTotal } from "~/domain/ledger/split";

const allocationsArb = fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 12 });
const rateArb = fc.integer({ min: 0, max: 10_000 });

describe("feeFor", () => {
  it("rounds half up", () => {
    expect(feeFor(8800, 800)).toBe(704);
    expect(feeFor(125, 400)).toBe(5); // 5.00
    expect(feeFor(6, 2500)).toBe(2); // 1.5 → 2
    expect(feeFor(2, 2500)).toBe(1); // 0.5 → 1
    expect(feeFor(1, 4999)).toBe(0); // 0.4999 → 0
  });
});

describe("splitLineTotal", () => {
  it("splits a line of 12 boxes from three lots at 8%", () => {
    const parts = splitLineTotal(12 * 8800, 800, [
      { key: "L-1", quantity: 5 },
      { key: "L-2", quantity: 4 },
      { key: "L-3", quantity: 3 },
    ]);
    expect(parts).toEqual([
      { key: "L-1", quantity: 5, shareFen: 44000, feeFen: 3520, householdFen: 40480 },
      { key: "L-2", quantity: 4, shareFen: 35200, feeFen: 2816, householdFen: 32384 },
      { key: "L-3", quantity: 3, shareFen: 26400, feeFen: 2112, householdFen: 24288 },
    ]);
  });

  it("gives leftover fen to the largest remainders", () => {
    const parts = splitLineTotal(100, 0, [
      { key: "a", quantity: 1 },
      { key: "b", quantity: 1 },
      { key: "c", quantity: 1 },
    ]);
    expect(parts.map((p) => p.shareFen)).toEqual([34, 33, 33]);
  });

  it("always adds up to the line total with no negative part (random prices, quantities, rates)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), rateArb, allocationsArb, (lineTotal, rate, quantities) => {
        const parts = splitLineTotal(
          lineTotal,
          rate,
          quantities.map((quantity, key) => ({ key, quantity })),
        );
        const sum = parts.reduce((s, p) => s + p.feeFen + p.householdFen, 0);
        expect(sum).toBe(lineTotal);
        expect(parts.reduce((s, p) => s + p.shareFen, 0)).toBe(lineTotal);
        for (const part of parts) {
          expect(part.shareFen).toBeGreaterThanOrEqual(0);
          expect(part.feeFen).toBeGreaterThanOrEqual(0);
          expect(part.householdFen).toBeGreaterThanOrEqual(0);
          expect(part.feeFen + part.householdFen).toBe(part.shareFen);
          expect(Number.isInteger(part.feeFen) && Number.isInteger(part.householdFen)).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives each allocation exactly price × quantity when the line is price × quantity", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), rateArb, allocationsArb, (price, rate, quantities) => {
        const total = price * quantities.reduce((s, q) => s + q, 0);
        const parts = splitLineTotal(
          total,
          rate,
          quantities.map((quantity, key) => ({ key, quantity })),
        );
        parts.forEach((part, i) => expect(part.shareFen).toBe(price * quantities[i]!));
      }),
    );
  });

  it("refuses empty, zero or fractional allocations", () => {
    expect(() => splitLineTotal(100, 800, [])).toThrow(RangeError);
    expect(() => splitLineTotal(100, 800, [{ key: 1, quantity: 0 }])).toThrow(RangeError);
    expect(() => splitLineTotal(100.5, 800, [{ key: 1, quantity: 1 }])).toThrow(RangeError);
    expect(() => splitLineTotal(100, 10_001, [{ key: 1, quantity: 1 }])).toThrow(RangeError);
  });
});

describe("reversalForRefund", () => {
  it("reverses everything credited once every unit is refunded, in any order of partial refunds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        rateArb,
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 20 }),
        (price, rate, quantity, steps) => {
          const [share] = splitLineTotal(price * quantity, rate, [{ key: 0, quantity }]);
          let refunded = 0;
          const totals = { shareFen: 0, feeFen: 0, householdFen: 0 };
          for (const step of [...steps, quantity]) {
            const units = Math.min(step, quantity - refunded);
            if (units === 0) break;
            const reversal = reversalForRefund(share!, rate, refunded, units);
            expect(reversal.shareFen).toBe(price * units);
            expect(reversal.feeFen).toBeGreaterThanOrEqual(0);
            expect(reversal.householdFen).toBeGreaterThanOrEqual(0);
            totals.shareFen += reversal.shareFen;
            totals.feeFen += reversal.feeFen;
            totals.householdFen += reversal.householdFen;
            refunded += units;
            // What stays credited is exactly what selling the remaining units would have credited.
            const [kept] =
              quantity - refunded > 0
                ? splitLineTotal(price * (quantity - refunded), rate, [{ key: 0, quantity: quantity - refunded }])
                : [{ feeFen: 0, householdFen: 0 }];
            expect(share!.feeFen - totals.feeFen).toBe(kept!.feeFen);
            expect(share!.householdFen - totals.householdFen).toBe(kept!.householdFen);
          }
          expect(totals).toEqual({ shareFen: share!.shareFen, feeFen: share!.feeFen, householdFen: share!.householdFen });
        },
      ),
    );
  });

  it("refuses refunding more units than remain", () => {
    const [share] = splitLineTotal(8800 * 3, 800, [{ key: 0, quantity: 3 }]);
    expect(() => reversalForRefund(share!, 800, 2, 2)).toThrow(RangeError);
    expect(() => reversalForRefund(share!, 800, 0, 0)).toThrow(RangeError);
  });
});
