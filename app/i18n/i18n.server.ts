import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_LOCALE, LOCALES, LOCALE_COOKIE, type Locale, isLocale } from "./i18n";

export const localeCookie = createCookie(LOCALE_COOKIE, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 60 * 60 });

// Detection order: the language cookie the switch sets, then Accept-Language, then zh-CN.
const i18next = new RemixI18Next({
  detection: { supportedLanguages: [...LOCALES], fallbackLanguage: DEFAULT_LOCALE, cookie: localeCookie, order: ["cookie", "header"] },
});

export async function getLocale(request: Request): Promise<Locale> {
  const detected = await i18next.getLocale(request);
  const primary = detected.split("-")[0];
  return isLocale(primary) ? primary : DEFAULT_LOCALE;
}
