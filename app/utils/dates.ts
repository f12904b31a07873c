// The shop's calendar: times are shown, days and years counted, in Asia/Shanghai for everyone, wherever the server
// or the reader happens to be. This module (with dates.server.ts for SQL) is the only place that knows the offset:
// China has had no daylight saving since 1991, so the shop's day is always UTC+8.
export const SHOP_TIME_ZONE = "Asia/Shanghai";
const SHOP_UTC_OFFSET = "+08:00";
const SHOP_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

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

/** Calendar date (YYYY-MM-DD) of an instant in the shop's time zone. */
export function shopDateOf(instant: Date) {
  return new Date(instant.getTime() + SHOP_OFFSET_MS).toISOString().slice(0, 10);
}

/** The year it is (or was at `now`) in the shop's time zone. */
export function currentShopYear(now = new Date()) {
  return Number(shopDateOf(now).slice(0, 4));
}

/** Today in the shop's time zone as the UTC midnight a DATE column holds (what best-before is compared with). */
export function shopToday(now: Date) {
  return new Date(`${shopDateOf(now)}T00:00:00Z`);
}

/** The instant a shop day ("2026-07-01") begins. */
export function shopDayStart(day: string) {
  return new Date(`${day}T00:00:00${SHOP_UTC_OFFSET}`);
}

/** The instant the shop day after `day` begins: the end of a period that includes `day`. */
export function shopDayEnd(day: string) {
  return new Date(shopDayStart(day).getTime() + DAY_MS);
}

/** The calendar day `days` after `day` ("2026-02-28", 1 → "2026-03-01"); before it when `days` is negative. */
export function addCalendarDays(day: string, days: number) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant a year begins in the shop's time zone. */
export function shopYearStart(year: number) {
  return shopDayStart(`${String(year).padStart(4, "0")}-01-01`);
}

/** The date part of an order number: the shop's day it was placed, as YYMMDD. */
export function orderNumberDay(now: Date) {
  return shopDateOf(now).slice(2).replace(/-/g, "");
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether "2026-07-03" names a real calendar day. */
export function isCalendarDate(value: string) {
  return CALENDAR_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/** A `datetime-local` value ("2026-07-01T10:00") read as Shanghai time. */
export function parseShopDateTime(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(`${value.length === 16 ? `${value}:00` : value}${SHOP_UTC_OFFSET}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The `datetime-local` value of an instant, in Shanghai time. */
export function toShopDateTimeInput(instant: Date) {
  return new Date(instant.getTime() + SHOP_OFFSET_MS).toISOString().slice(0, 16);
}

/** A `date` value ("2026-07-03") as the UTC midnight a DATE column holds. */
export function parseShopDate(value: string): Date | null {
  return isCalendarDate(value) ? new Date(`${value}T00:00:00Z`) : null;
}
