import { describe, expect, it } from "vitest";
import { canApply, effectiveState, needsLazyClose, nextState, scheduleProblems, type GroupOrderState } from "~/domain/group-orders/state";
import { parseShopDate, parseShopDateTime, toShopDateTimeInput } from "~/utils/dates";

const opensAt = new Date("2026-07-01T02:00:00Z");
const closesAt = new Date("2026-07-03T10:00:00Z");
const at = (iso: string) => new Date(iso);

describe("effective state follows the clock", () => {
  const open = { status: "open" as const, opensAt, closesAt };

  it("is draft before opensAt, open within the window, closed from closesAt on", () => {
    expect(effectiveState(open, at("2026-07-01T01:59:59Z"))).toBe("draft");
    expect(effectiveState(open, opensAt)).toBe("open");
    expect(effectiveState(open, at("2026-07-03T09:59:59.999Z"))).toBe("open");
    expect(effectiveState(open, closesAt)).toBe("closed");
    expect(needsLazyClose(open, closesAt)).toBe(true);
    expect(needsLazyClose(open, opensAt)).toBe(false);
  });

  it.each(["draft", "closed", "delivered", "settled", "cancelled"] as const)("keeps a stored %s whatever the time", (status) => {
    for (const now of [at("2026-06-01T00:00:00Z"), at("2026-07-02T00:00:00Z"), at("2026-08-01T00:00:00Z")]) {
      expect(effectiveState({ status, opensAt, closesAt }, now)).toBe(status);
      expect(needsLazyClose({ status, opensAt, closesAt }, now)).toBe(false);
    }
  });
});

describe("commands", () => {
  const table: [Parameters<typeof nextState>[0], GroupOrderState, GroupOrderState | null][] = [
    ["close", "open", "closed"],
    ["close", "draft", null],
    ["close", "closed", null],
    ["extend", "open", "open"],
    ["extend", "draft", "draft"],
    ["extend", "closed", null],
    ["deliver", "closed", "delivered"],
    ["deliver", "open", null],
    ["deliver", "delivered", null],
    ["settle", "closed", "closed"],
    ["settle", "delivered", "delivered"],
    ["settle", "open", null],
    ["settle", "settled", null],
    ["cancel", "draft", "cancelled"],
    ["cancel", "open", "cancelled"],
    ["cancel", "closed", "cancelled"],
    ["cancel", "delivered", null],
    ["cancel", "settled", null],
    ["cancel", "cancelled", null],
  ];
  it.each(table)("%s from %s → %s", (command, from, to) => {
    expect(nextState(command, from)).toBe(to);
    expect(canApply(command, from)).toBe(to !== null);
  });

  it("a delivery after the unit has paid settles the group order", () => {
    expect(nextState("deliver", "closed", { hasSettlement: true })).toBe("settled");
  });

  it("a delivered group order is settled once the last paying unit has settled, not before", () => {
    expect(nextState("settle", "delivered", { hasSettlement: true })).toBe("settled");
    expect(nextState("settle", "delivered", { hasSettlement: false })).toBe("delivered");
    expect(nextState("settle", "closed", { hasSettlement: true })).toBe("closed");
  });
});

describe("schedule", () => {
  it("accepts a delivery on the closing day in Shanghai", () => {
    // 15:30 UTC is 23:30 in Shanghai, still 3 July there.
    expect(scheduleProblems({ opensAt, closesAt: at("2026-07-03T15:30:00Z"), deliveryDate: at("2026-07-03T00:00:00Z") })).toEqual([]);
  });

  it("refuses a delivery before the closing day as Shanghai counts days", () => {
    // 16:30 UTC on 3 July is 00:30 on 4 July in Shanghai.
    expect(scheduleProblems({ opensAt, closesAt: at("2026-07-03T16:30:00Z"), deliveryDate: at("2026-07-03T00:00:00Z") })).toEqual([
      "deliveryBeforeClose",
    ]);
  });

  it("refuses a closing time not after the opening time, or in the past", () => {
    expect(scheduleProblems({ opensAt, closesAt: opensAt, deliveryDate: at("2026-07-05T00:00:00Z") })).toEqual(["closesBeforeOpens"]);
    expect(scheduleProblems({ opensAt, closesAt, deliveryDate: at("2026-07-05T00:00:00Z") }, at("2026-07-04T00:00:00Z"))).toEqual([
      "closesInPast",
    ]);
  });

  it("reads form times as Shanghai time and writes them back the same", () => {
    expect(parseShopDateTime("2026-07-03T18:00")?.toISOString()).toBe("2026-07-03T10:00:00.000Z");
    expect(toShopDateTimeInput(closesAt)).toBe("2026-07-03T18:00");
    expect(parseShopDateTime("2026-07-03 18:00")).toBeNull();
    expect(parseShopDate("2026-07-05")?.toISOString()).toBe("2026-07-05T00:00:00.000Z");
    expect(parseShopDate("2026-02-30")).toBeNull();
  });
});
