// Money is integer fen from the database to the screen (DOMAIN §4). This module is the only place fen become text
// and text becomes fen: for display, for spreadsheets, and for amounts typed into forms (by string, never through a
// float). It has no imports, so a page that only shows amounts ships none; money-fields.ts holds the form fields.

/** The largest amount a money column holds (PostgreSQL `integer`): ¥21,474,836.47. */
export const MAX_FEN = 2_147_483_647;

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

function splitFen(fen: number) {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`Amount must be an integer number of fen, got ${fen}`);
  const abs = Math.abs(fen);
  return { sign: fen < 0 ? "-" : "", yuan: String(Math.trunc(abs / 100)), cents: String(abs % 100).padStart(2, "0") };
}

/** Fen for people to read: 123450 → "¥1,234.50". */
export function formatFen(fen: number): string {
  const { sign, yuan, cents } = splitFen(fen);
  return `${sign}¥${yuan.replace(GROUP, ",")}.${cents}`;
}

/** Fen as plain yuan text, for CSV cells and for a form's input to edit: 123450 → "1234.50". */
export function fenToYuanText(fen: number): string {
  const { sign, yuan, cents } = splitFen(fen);
  return `${sign}${yuan}.${cents}`;
}

/**
 * Fen as a yuan number for a spreadsheet cell that the reader sums: the one place money leaves integer fen, and only
 * into a file (numbers with two decimals are exact enough for Excel's display and sums of a report's size).
 */
export function fenToYuanNumber(fen: number): number {
  return Number(fenToYuanText(fen));
}

/** Basis points as a percentage to show or edit: 750 → "7.50". */
export function basisPointsToPercentText(bp: number): string {
  return fenToYuanText(bp);
}

const YUAN_TEXT = /^(\d{1,8})(?:\.(\d{1,2}))?$/;

/** "1234.5" → 123450, read digit by digit; null unless it is a plain amount with at most two decimals that fits. */
export function parseYuanText(text: string): number | null {
  const match = YUAN_TEXT.exec(text.trim());
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return fen <= MAX_FEN ? fen : null;
}
