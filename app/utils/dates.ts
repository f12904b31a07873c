// Times are shown in Asia/Shanghai for everyone, wherever the server or the reader happens to be.
export const SHOP_TIME_ZONE = "Asia/Shanghai";

// Formatters are costly to create and are reused for every page, one per language and style.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, withTime: boolean) {
  const key = `${locale}|${withTime}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { timeZone: SHOP_TIME_ZONE, dateStyle: "medium", ...(withTime ? { timeStyle: "short" } : {}) });
    formatters.set(key, found);
  }
  return found;
}

export function formatDateTime(value: Date | string, locale: string) {
  return formatter(locale, true).format(new Date(value));
}

export function formatDate(value: Date | string, locale: string) {
  return formatter(locale, false).format(new Date(value));
}

/**
 * A calendar date (a `@db.Date` column: best-before, received, paid on) as 2026-07-12. Prisma gives those as UTC
 * midnight, so the UTC day is the date itself; the value is a Date on the server and a string once serialised.
 */
export function isoDay(value: Date | string) {
  return new Date(value).toISOString().slice(0, 10);
}
