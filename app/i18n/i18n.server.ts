import { createHash } from "node:crypto";
import { createCookie } from "@remix-run/node";
import Negotiator from "negotiator";
import en from "./en";
import {
  CONSOLE_ONLY_SECTIONS,
  CONSOLE_SECTIONS,
  DEFAULT_LOCALE,
  LOCALES,
  LOCALE_COOKIE,
  type Locale,
  type CatalogHref,
  type PageMessages,
  consoleSectionsFor,
  isLocale,
  keepCatalog,
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

type Sections = readonly string[];

function messagesOf(locale: Locale, sections: Sections): PageMessages {
  const wanted = new Set(sections);
  return Object.fromEntries(
    Object.entries(catalogs[locale]).filter(([section]) => !CONSOLE_ONLY.has(section) || wanted.has(section)),
  ) as PageMessages;
}

/** Which part of the catalog a page at `pathname` needs: the shared sections and its console's, if any. */
export function messagesFor(locale: Locale, pathname: string): PageMessages {
  return messagesOf(locale, consoleSectionsFor(pathname));
}

const CATALOG_PATH = "/i18n/";

type PageCatalog = { href: CatalogHref; json: string };

const pageCatalogs = new Map<string, PageCatalog>();

/** A name for each set of sections a page may be sent; the shop's own pages get none of the consoles'. */
const sectionsName = (sections: Sections) => (sections.length ? sections.join("+") : "shop");
const SECTIONS_BY_NAME = new Map<string, Sections>(
  [[] as Sections, ...CONSOLE_SECTIONS.map(([, sections]) => sections)].map((sections) => [sectionsName(sections), sections]),
);

/** A catalog's text and where it is served, made once per language and set of sections (a handful exist). */
function pageCatalog(locale: Locale, sections: Sections): PageCatalog {
  const key = `${locale}-${sectionsName(sections)}`;
  let catalog = pageCatalogs.get(key);
  if (!catalog) {
    const messages = messagesOf(locale, sections);
    const json = JSON.stringify(messages);
    const hash = createHash("sha256").update(json).digest("hex").slice(0, 12);
    catalog = { href: `${CATALOG_PATH}${key}-${hash}.json` as CatalogHref, json };
    keepCatalog(catalog.href, messages);
    pageCatalogs.set(key, catalog);
  }
  return catalog;
}

/** Where the catalog of a page at `pathname` is served; the server keeps it for rendering the page (catalogAt). */
export function pageCatalogFor(locale: Locale, pathname: string): CatalogHref {
  return pageCatalog(locale, consoleSectionsFor(pathname)).href;
}

// A file's language and sections; the whole name, hash included, must then be the one pageCatalog gives them.
const CATALOG_FILE = /^([a-z]+)-([a-zA-Z+]+)-/;

/**
 * The text of the catalog file `file` names, made here if this process has not made it yet (another worker may have
 * rendered the page); none for a name no page is given, such as an earlier build's hash.
 */
export function catalogText(file: string): string | undefined {
  const [, locale, name] = CATALOG_FILE.exec(file) ?? [];
  const sections = name === undefined ? undefined : SECTIONS_BY_NAME.get(name);
  if (!isLocale(locale) || !sections) return undefined;
  const catalog = pageCatalog(locale, sections);
  return catalog.href === `${CATALOG_PATH}${file}` ? catalog.json : undefined;
}
