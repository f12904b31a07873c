import { createInstance, type TOptions } from "i18next";
import { useMemo, type ReactNode } from "react";
import { I18nextProvider, initReactI18next, useTranslation } from "react-i18next";
import type { Locale, MessageKey } from "./i18n";
import type { Messages } from "./zh";

/** One i18next instance per locale, fed the catalog the root loader sent, identical on server and browser. */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: ReactNode }) {
  const i18n = useMemo(() => {
    const instance = createInstance();
    void instance.use(initReactI18next).init({
      lng: locale,
      resources: { [locale]: { translation: messages } },
      initImmediate: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    return instance;
  }, [locale, messages]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

export type Translate = (key: MessageKey, options?: TOptions) => string;

export function useT(): Translate {
  const { t } = useTranslation();
  return t as unknown as Translate;
}

export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return i18n.language as Locale;
}

/** Picks the right name of a record that stores both (`name` in Chinese, `nameEn` in English). */
export function useLocalizedName() {
  const locale = useLocale();
  return (item: { name: string; nameEn: string }) => (locale === "en" ? item.nameEn : item.name);
}
