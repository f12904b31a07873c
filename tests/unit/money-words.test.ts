import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fenInChineseWords, MAX_WORDS_FEN } from "~/domain/money-words";

const DIGIT = new Map([..."零壹贰叁肆伍陆柒捌玖"].map((c, i) => [c, i]));
const PLACE = new Map([
  ["拾", 10],
  ["佰", 100],
  ["仟", 1000],
]);

/** Reads capitals back into fen, independently of how they were written, so every amount can be checked by value. */
function wordsToFen(words: string): number {
  const [, yuanWords = "", rest = ""] = /^(?:(.*)元)?(.*)$/.exec(words)!;
  const readSection = (text: string) => {
    let total = 0;
    let digit = 0;
    for (const char of text) {
      if (DIGIT.has(char)) digit = DIGIT.get(char)!;
      else {
        total += digit * PLACE.get(char)!;
        digit = 0;
      }
    }
    return total + digit;
  };
  let yuan = 0;
  let remaining = yuanWords;
  for (const [name, factor] of [
    ["亿", 100_000_000],
    ["万", 10_000],
  ] as const) {
    const at = remaining.indexOf(name);
    if (at >= 0) {
      yuan += readSection(remaining.slice(0, at)) * factor;
      remaining = remaining.slice(at + 1);
    }
  }
  yuan += readSection(remaining);
  const jiao = /(.)角/.exec(rest);
  const fen = /(.)分/.exec(rest);
  return yuan * 100 + (jiao ? DIGIT.get(jiao[1]!)! * 10 : 0) + (fen ? DIGIT.get(fen[1]!)! : 0);
}

describe("fenInChineseWords", () => {
  it.each([
    [1, "壹分"],
    [10, "壹角"],
    [15, "壹角伍分"],
    [100, "壹元整"],
    [1000, "壹拾元整"],
    [1001, "壹拾元零壹分"],
    [1050, "壹拾元伍角"],
    [12345, "壹佰贰拾叁元肆角伍分"],
    [101_000, "壹仟零壹拾元整"],
    [32_504, "叁佰贰拾伍元零肆分"],
    [140_950, "壹仟肆佰零玖元伍角"],
    [600_714, "陆仟零柒元壹角肆分"],
    [168_032, "壹仟陆佰捌拾元叁角贰分"],
    [10_700_053, "壹拾万零柒仟元伍角叁分"],
    [1_000_000, "壹万元整"],
    [100_000_001, "壹佰万元零壹分"],
    [1_000_100_000, "壹仟万零壹仟元整"],
    [10_000_000_000, "壹亿元整"],
    [10_000_000_100, "壹亿零壹元整"],
    [10_001_000_000, "壹亿零壹万元整"],
    [10_100_000_000, "壹亿零壹佰万元整"],
    [20_030_004_000, "贰亿零叁拾万零肆拾元整"],
    [MAX_WORDS_FEN, "玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"],
  ])("writes %i fen as %s", (fen, words) => {
    expect(fenInChineseWords(fen)).toBe(words);
  });

  it("writes nothing as 零元整", () => {
    expect(fenInChineseWords(0)).toBe("零元整");
  });

  it("refuses amounts a receipt cannot show", () => {
    for (const fen of [-1, 0.5, Number.NaN, MAX_WORDS_FEN + 1]) expect(() => fenInChineseWords(fen)).toThrow(RangeError);
  });

  it("reads back to the same amount, with one 零 per gap and none at either end, from ¥0.01 to ¥999,999,999.99", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1, max: MAX_WORDS_FEN }),
          // Amounts with many zero digits, where the 零 rules matter.
          fc
            .array(fc.constantFrom(0, 0, 0, 1, 5, 9), { minLength: 1, maxLength: 11 })
            .map((digits) => Number(digits.join("")))
            .filter((fen) => fen > 0),
        ),
        (fen) => {
          const words = fenInChineseWords(fen);
          expect(wordsToFen(words)).toBe(fen);
          expect(words).not.toMatch(/零零|^零|零元|零[万亿]|零整|零$/);
          expect(words).toMatch(/[整角分]$/);
          // 拾 always has its digit before it, so 拾 can never be read as a stroke away from another figure.
          expect(words).not.toMatch(/(^|[^壹贰叁肆伍陆柒捌玖])拾/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
