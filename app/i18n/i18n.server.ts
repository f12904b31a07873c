import { createCookie } from "@remix-run/node";
import Negotiator from "negotiator";
import en from "./en";
import {
  CONSOLE_ONLY_SECTIONS,
  DEFAULT_LOCALE,
  LOCALES,
  LOCALE_COOKIE,
  type Locale,
  type PageMessages,
  type SerializedMessages,
  consoleSectionsFor,
  isLocale,
} from "./i18n";
import zh, { type Messages } from "./zh";

export const catalogs: Record<Locale, Messages> = { zh, en };

export const localeCookie = createCookie(LOCALE_COOKIE, { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 60 * 60 });

/** The language cookie the switch sets, then the best of Accept-Language, then zh-CN. */
export async function getLocale(request: Request): Promise<Locale> {
  const chosen: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(chosen)) return chosen;
  const acceptLanguage = request.headers.get("Accept-Language");
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const preferred = new Negotiator({ headers: { "accept-language": acceptLanguage } }).language([...LOCALES]);
  return isLocale(preferred) ? preferred : DEFAULT_LOCALE;
}

const CONSOLE_ONLY = new Set<string>(CONSOLE_ONLY_SECTIONS);

/** Which part of the catalog a page at `pathname` needs: the shared sections and its console's, if any. */
export function messagesFor(locale: Locale, pathname: string): PageMessages {
  const catalog = catalogs[locale];
  const wanted = new Set<string>(consoleSectionsFor(pathname));
  return Object.fromEntries(
    Object.entries(catalog).filter(([section]) => !CONSOLE_ONLY.has(section) || wanted.has(section)),
  ) as PageMessages;
}

const serializedMessages = new Map<string, SerializedMessages>();

/** messagesFor as the root loader sends it, made once per language and set of console sections. */
export function serializedMessagesFor(locale: Locale, pathname: string): SerializedMessages {
  const key = `${locale}:${consoleSectionsFor(pathname).join(",")}`;
  let json = serializedMessages.get(key);
  if (!json) {
    json = JSON.stringify(messagesFor(locale, pathname)) as SerializedMessages;
    serializedMessages.set(key, json);
  }
  return json;
}
