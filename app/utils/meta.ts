// Every page's <title>, translated: "<page> · <shop name>", and its description for search engines (the shop's
// tagline unless the page has its own). Meta functions run before the page renders, so they
// translate from the catalog the root loader named rather than from React context.
import type { MetaFunction } from "@remix-run/node";
import rosetta from "rosetta";
import { catalogAt, type CatalogHref, type Locale, type MessageKey, type MessageParams, type PageMessages } from "~/i18n/i18n";
import type { Translate } from "~/i18n/react";

type MetaArgs<Loader> = Parameters<MetaFunction<Loader>>[0];
const translators = new WeakMap<PageMessages, Translate>();
const NO_MESSAGES = {} as PageMessages;

/** The translator of the catalog the root loader named, made once per catalog (meta runs on every page). */
function translatorFor(matches: MetaArgs<unknown>["matches"]): { t: Translate; locale: Locale } {
  const root = matches.find((match) => match.id === "root")?.data as { locale?: Locale; catalog?: CatalogHref } | undefined;
  const locale = root?.locale ?? "zh";
  const messages = catalogAt(root?.catalog) ?? NO_MESSAGES;
  let t = translators.get(messages);
  if (!t) {
    const i18n = rosetta({ [locale]: messages });
    i18n.locale(locale);
    t = (key: MessageKey, params?: MessageParams) => i18n.t(key, params);
    translators.set(messages, t);
  }
  return { t, locale };
}

type Describe<Loader> = (t: Translate, data: MetaArgs<Loader>["data"], locale: Locale) => string;

/**
 * A page's meta: its title (a message key, or worked out from its loader's data) after the shop's name, and its
 * description, the shop's tagline unless `description` gives one.
 */
export function pageTitle<Loader = unknown>(title: MessageKey | Describe<Loader>, description?: Describe<Loader>): MetaFunction<Loader> {
  return ({ data, matches }) => {
    const { t, locale } = translatorFor(matches);
    const page = typeof title === "function" ? title(t, data, locale) : t(title);
    return [
      { title: page ? `${page} · ${t("app.name")}` : t("app.name") },
      { name: "description", content: description?.(t, data, locale) || t("app.tagline") },
    ];
  };
}
