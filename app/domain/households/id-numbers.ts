// Resident ID numbers (居民身份证号码, GB 11643) are never stored in full (DOMAIN §7): a masked form to show and a
// keyed hash (HMAC-SHA256 with ID_HASH_KEY, id-numbers.server.ts) to find a household by the number read out.
// This half has no Node imports: the browser validates the form with it.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";

/** Upper-cased, spaces removed; null unless it is a well-formed 18-character number with a valid check character. */
export function normalizeIdNumber(raw: string): string | null {
  const id = raw.replace(/\s/g, "").toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  if (CHECK_CHARS[sum % 11] !== id[17]) return null;
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return id;
}

/** Region code and last four only: "130434********1234". */
export function maskIdNumber(id: string) {
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}
