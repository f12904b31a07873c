import { createContext, useContext, useMemo, type ReactNode } from "react";
import rosetta from "rosetta";
import { parseMessageRef, type Locale, type MessageKey, type PageMessages } from "./i18n";

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

type I18n = { locale: Locale; t: Translate };

const I18nContext = createContext<I18n | null>(null);

/**
 * Translations from the part of the catalog the root loader sent for this page, identical on server and browser (so
 * hydration matches). rosetta is a few hundred bytes: the client bundle carries neither catalogs nor an i18n runtime
 * of any size. A key the page was not sent is a bug (decision 4): it is logged, and the key shown.
 */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: PageMessages; children: ReactNode }) {
  const value = useMemo<I18n>(() => {
    const i18n = rosetta({ [locale]: messages });
    i18n.locale(locale);
    return {
      locale,
      t: (key, params) => {
        const text = i18n.t(key, params);
        if (text) return text;
        console.error(`Missing message: ${key}`);
        return key;
      },
    };
  }, [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useT() outside <I18nProvider>");
  return i18n;
}

export function useT(): Translate {
  return useI18n().t;
}

export function useLocale(): Locale {
  return useI18n().locale;
}

/** Picks the right name of a record that stores both (`name` in Chinese, `nameEn` in English). */
export function useLocalizedName() {
  const locale = useLocale();
  return (item: { name: string; nameEn: string }) => (locale === "en" ? item.nameEn : item.name);
}

/** Translates a message ref (a key, or a key with its values: see messageRef) as form errors carry them. */
export function useTranslateRef() {
  const t = useT();
  return (ref: string) => {
    const { key, params } = parseMessageRef(ref);
    return t(key, params);
  };
}
