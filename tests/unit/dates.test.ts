import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCalendarDays,
  currentShopYear,
  orderNumberDay,
  parseShopDateTime,
  shopDateOf,
  shopDayEnd,
  shopDayStart,
  shopToday,
  shopYearStart,
  toShopDateTimeInput,
} from "~/utils/dates";

describe("the shop's calendar (Asia/Shanghai)", () => {
  it("dates an order placed at 07:30 in Anshang on 1 December by that day, not the UTC one", () => {
    const placed = parseShopDateTime("2026-12-01T07:30")!;
    expect(placed.toISOString()).toBe("2026-11-30T23:30:00.000Z");
    expect(orderNumberDay(placed)).toBe("261201");
    expect(shopDateOf(placed)).toBe("2026-12-01");
    expect(shopToday(placed).toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });

  it("counts calendar days across month, leap-day and year ends", () => {
    expect(addCalendarDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addCalendarDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addCalendarDays("2026-12-30", 4)).toBe("2027-01-03");
    expect(addCalendarDays("2026-01-01", -1)).toBe("2025-12-31");
  });

  it("starts the year at midnight in Anshang", () => {
    expect(shopYearStart(2027).toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(currentShopYear(new Date("2026-12-31T16:30:00Z"))).toBe(2027);
    expect(currentShopYear(new Date("2026-12-31T15:59:59Z"))).toBe(2026);
  });

  it("bounds a day as [its midnight, the next midnight)", () => {
    expect(shopDayStart("2026-07-01").toISOString()).toBe("2026-06-30T16:00:00.000Z");
    expect(shopDayEnd("2026-07-01").toISOString()).toBe("2026-07-01T16:00:00.000Z");
  });

  it("agrees with the time-zone database on every instant", () => {
    const reference = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }), (instant) => {
        expect(shopDateOf(instant)).toBe(reference.format(instant));
      }),
    );
  });

  it("round-trips a datetime-local value", () => {
    expect(toShopDateTimeInput(parseShopDateTime("2026-07-01T10:00")!)).toBe("2026-07-01T10:00");
    expect(parseShopDateTime("2026-07-01 10:00")).toBeNull();
  });
});
