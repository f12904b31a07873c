import type { Messages } from "./zh";

export const LOCALES = ["zh", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh";
export const LOCALE_COOKIE = "lng";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The language tag for <html lang> and Intl formatting. */
export function languageTag(locale: Locale) {
  return locale === "zh" ? "zh-CN" : "en";
}

type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every message key, e.g. "auth.password"; validation errors carry these so both languages can show them. */
export type MessageKey = Leaves<Messages>;

export type MessageParams = Record<string, string | number>;

/**
 * A message key with the values it needs, as one string: form errors travel as plain strings (conform's shape),
 * so a refusal like "cooperative.errors.lotShort?free=3" keeps its values on the way to the reader's language.
 */
export function messageRef(key: MessageKey, params?: MessageParams): string {
  if (!params || Object.keys(params).length === 0) return key;
  return `${key}?${new URLSearchParams(Object.entries(params).map(([name, value]) => [name, String(value)]))}`;
}

export function parseMessageRef(ref: string): { key: MessageKey; params?: MessageParams } {
  const at = ref.indexOf("?");
  if (at < 0) return { key: ref as MessageKey };
  return { key: ref.slice(0, at) as MessageKey, params: Object.fromEntries(new URLSearchParams(ref.slice(at + 1))) };
}
