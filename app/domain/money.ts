// Money is integer fen from the database to the screen (DOMAIN §4); this file only turns fen into text.

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

/** Formats integer fen as yuan, e.g. 123450 → "¥1,234.50", without ever dividing into a float. */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`Amount must be an integer number of fen, got ${fen}`);
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = String(Math.trunc(abs / 100)).replace(GROUP, ",");
  const cents = String(abs % 100).padStart(2, "0");
  return `${sign}¥${yuan}.${cents}`;
}
