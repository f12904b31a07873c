import { describe, expect, it } from "vitest";
import { maskIdNumber, normalizeIdNumber } from "~/domain/households/id-numbers";
import { hashIdNumber } from "~/domain/households/id-numbers.server";

describe("resident ID numbers", () => {
  it("accepts a number with a valid check character, in any case and spacing", () => {
    expect(normalizeIdNumber("11010519491231002x")).toBe("11010519491231002X");
    expect(normalizeIdNumber(" 110105 19491231 002X ")).toBe("11010519491231002X");
  });

  it.each(["11010519491231002Y", "110105194912310021", "1101051949123100", "11010519491331002X", "abc"])("refuses %s", (id) => {
    expect(normalizeIdNumber(id)).toBeNull();
  });

  it("masks all but the region and the last four", () => {
    expect(maskIdNumber("11010519491231002X")).toBe("110105********002X");
  });

  it("hashes with the key, so the same number finds the same household and another key gives another hash", () => {
    expect(hashIdNumber("11010519491231002X", "k1")).toBe(hashIdNumber("11010519491231002X", "k1"));
    expect(hashIdNumber("11010519491231002X", "k1")).not.toBe(hashIdNumber("11010519491231002X", "k2"));
  });
});
