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

// Created once: an Intl formatter costs far more to create than to use, and these run on hot paths.
const shopDayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: SHOP_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** Calendar date (YYYY-MM-DD) of an instant in the shop's time zone. */
export function shopDateOf(instant: Date) {
  return shopDayFormat.format(instant);
}

/** The year it is (or was at `now`) in the shop's time zone. */
export function currentShopYear(now = new Date()) {
  return Number(shopDateOf(now).slice(0, 4));
}
