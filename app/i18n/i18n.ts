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

type Section = keyof Messages;

/** The sections only the consoles use; every other section goes to every page. */
export const CONSOLE_ONLY_SECTIONS = [
  "cooperative",
  "households",
  "reports",
  "groupOrders",
  "posters",
  "receipts",
  "cards",
  "cardPage",
  "groupPage",
  "jobs",
  "roster",
  "adminPages",
] as const satisfies readonly Section[];
type ConsoleSection = (typeof CONSOLE_ONLY_SECTIONS)[number];

/** What a page is sent: every shared section, and the console sections it needs. */
export type PageMessages = Omit<Messages, ConsoleSection> & Partial<Pick<Messages, ConsoleSection>>;

/**
 * Where a page's catalog is served: its language, its console sections and a hash of its text, so the browser keeps
 * it for good and no page carries it in its data (decision 28). Made by `pageCatalogFor` on the server.
 */
export type CatalogHref = string & { readonly __catalogHref: never };

const keptCatalogs = new Map<string, PageMessages>();

/** Keeps the catalog served at `href` for pages to render with: the server keeps each it makes, the browser each it loads. */
export function keepCatalog(href: CatalogHref, messages: PageMessages) {
  keptCatalogs.set(href, messages);
}

/** The catalog kept for `href`; none before the browser has loaded it. */
export function catalogAt(href: CatalogHref | undefined): PageMessages | undefined {
  return href === undefined ? undefined : keptCatalogs.get(href);
}

/** The catalog at `href`, fetched unless kept: the browser loads one before it renders a page that needs it. */
export async function loadCatalog(href: CatalogHref): Promise<PageMessages> {
  const kept = keptCatalogs.get(href);
  if (kept) return kept;
  const response = await fetch(href);
  if (!response.ok) throw new Error(`Could not load the translations ${href} (${response.status})`);
  const messages = (await response.json()) as PageMessages;
  keptCatalogs.set(href, messages);
  return messages;
}

/**
 * The consoles' sections of the catalog, sent only to the pages that use them (decision 4): a buyer's phone loading
 * the shop should not carry the cooperative's and the work team's texts. Every section not listed here is sent to
 * every page. The first pattern that matches a path decides.
 */
export const CONSOLE_SECTIONS: readonly (readonly [RegExp, readonly ConsoleSection[]])[] = [
  [/^\/coop\/settlements(\/|$)/, ["cooperative", "receipts", "groupOrders"]],
  [/^\/coop(\/|$)/, ["cooperative", "receipts"]],
  [/^\/trace\//, ["cooperative"]],
  [/^\/team\/households\/[^/]+\/ledger\//, ["households", "reports", "cooperative"]],
  [/^\/team(\/|$)/, ["households", "reports", "cards"]],
  [/^\/organizer(\/|$)/, ["groupOrders", "posters", "roster"]],
  [/^\/h\//, ["cardPage"]],
  [/^\/g\//, ["groupPage", "posters"]],
  [/^\/admin(\/|$)/, ["jobs", "roster", "adminPages"]],
];

const NO_SECTIONS: readonly ConsoleSection[] = [];

/** The console sections a page at `pathname` needs (none for the shop's own pages); one array per choice. */
export function consoleSectionsFor(pathname: string): readonly ConsoleSection[] {
  return CONSOLE_SECTIONS.find(([pattern]) => pattern.test(pathname))?.[1] ?? NO_SECTIONS;
}
