// An amount in Chinese financial capitals (大写金额), as receipts and vouchers write it so that no stroke can turn one
// figure into another: 123.45 yuan → 壹佰贰拾叁元肆角伍分. The rules are those of the People's Bank's guidance on filling
// in payment instruments: 拾 always has its digit (壹拾), a run of zeros inside the number is one 零, zeros at the end
// of a section (万, 亿) or of the yuan are not written, an amount ending at the yuan ends with 整, and 零 stands
// between 元 and the fen when there are no jiao (壹佰万元零壹分). Pure, from integer fen, no floats.

const DIGITS = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"] as const;
const PLACES = ["", "拾", "佰", "仟"] as const;
const SECTIONS = ["", "万", "亿"] as const;

/** The largest amount written: ¥999,999,999.99 (the 亿 section holds four digits; beyond it there is no 兆 on a receipt). */
export const MAX_WORDS_FEN = 99_999_999_999;

/** The yuan part (a non-negative integer below 10^12) in capitals, without 元: 1000001 → 壹佰万零壹. */
function yuanInWords(yuan: number): string {
  const digits = String(yuan);
  let words = "";
  let zeroPending = false;
  for (let i = 0; i < digits.length; i++) {
    const position = digits.length - 1 - i;
    const digit = Number(digits[i]);
    if (digit === 0) {
      zeroPending = words !== "";
    } else {
      if (zeroPending) words += DIGITS[0];
      zeroPending = false;
      words += `${DIGITS[digit]}${PLACES[position % 4]}`;
    }
    // A section's name follows its last digit when any digit of the section was written.
    if (position % 4 === 0 && position > 0) {
      const section = digits.slice(Math.max(0, i - 3), i + 1);
      if (Number(section) > 0) words += SECTIONS[position / 4];
    }
  }
  return words;
}

/**
 * Integer fen in capitals: 12345 → 壹佰贰拾叁元肆角伍分, 100 → 壹元整, 0 → 零元整, 5 → 伍分.
 * Throws a RangeError for a negative, fractional or too large amount (a receipt never shows one).
 */
export function fenInChineseWords(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0 || fen > MAX_WORDS_FEN) {
    throw new RangeError(`Amount must be whole fen from 0 to ${MAX_WORDS_FEN}, got ${fen}`);
  }
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  if (fen === 0) return "零元整";
  const yuanPart = yuan > 0 ? `${yuanInWords(yuan)}元` : "";
  if (jiao === 0 && cents === 0) return `${yuanPart}整`;
  const jiaoPart = jiao > 0 ? `${DIGITS[jiao]}角` : yuan > 0 ? DIGITS[0] : "";
  const centsPart = cents > 0 ? `${DIGITS[cents]}分` : "";
  return `${yuanPart}${jiaoPart}${centsPart}`;
}
