// Times are shown in Asia/Shanghai for everyone, wherever the server or the reader happens to be.
export const SHOP_TIME_ZONE = "Asia/Shanghai";

export function formatDateTime(value: Date | string, locale: string) {
  return new Intl.DateTimeFormat(locale, { timeZone: SHOP_TIME_ZONE, dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export function formatDate(value: Date | string, locale: string) {
  return new Intl.DateTimeFormat(locale, { timeZone: SHOP_TIME_ZONE, dateStyle: "medium" }).format(new Date(value));
}
