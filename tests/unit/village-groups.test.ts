import { describe, expect, it } from "vitest";
import { groupNumber, villageGroupName } from "~/domain/households/village-groups";

describe("village group names", () => {
  it("reads group numbers written in Chinese numerals or digits", () => {
    expect(["一", "二", "九", "十", "十一", "十九", "二十", "二十三", "九十九", "7", "12"].map(groupNumber)).toEqual([
      1, 2, 9, 10, 11, 19, 20, 23, 99, 7, 12,
    ]);
    expect(["", "零", "一三", "十十", "百", "东头", "123"].map(groupNumber)).toEqual([null, null, null, null, null, null, null]);
  });

  it("names a numbered group in English and leaves a named one, and Chinese, as recorded", () => {
    expect(villageGroupName("二组", "en")).toBe("Group 2");
    expect(villageGroupName("第三村民小组", "en")).toBe("Group 3");
    expect(villageGroupName("十二小组", "en")).toBe("Group 12");
    expect(villageGroupName("5组", "en")).toBe("Group 5");
    expect(villageGroupName("东头", "en")).toBe("东头");
    expect(villageGroupName("二组", "zh")).toBe("二组");
  });
});
