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
 * The page's catalog as the root loader sends it: JSON text made once per language and set of sections. Remix then
 * serialises one string per page instead of walking ~900 messages on every request (decision 20).
 */
export type SerializedMessages = string & { readonly __serializedMessages: never };

const parsedMessages = new Map<string, PageMessages>();

/** The catalog in `json`, parsed once per distinct text: few exist (languages × console sections). */
export function parseMessages(json: SerializedMessages): PageMessages {
  let messages = parsedMessages.get(json);
  if (!messages) {
    messages = JSON.parse(json) as PageMessages;
    parsedMessages.set(json, messages);
  }
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
