// Issue 17, point 5: a request past a rate limit is answered 429 with Retry-After (tests/integration/rate-limit) and
// the error page says so in the reader's language, or in both when the language is unknown.
import { StaticRouter } from "react-router-dom/server.js";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ErrorPage } from "~/components/error-page";
import errors from "~/i18n/areas/errors";
import { I18nProvider } from "~/i18n/react";
import { messagesFor } from "~/i18n/i18n.server";

const translated = (locale: "zh" | "en", status: number) =>
  renderToStaticMarkup(
    createElement(StaticRouter, {
      location: "/cart",
      children: createElement(I18nProvider, {
        locale,
        messages: messagesFor(locale, "/cart"),
        children: createElement(ErrorPage, { status }),
      }),
    }),
  );

describe("the error page of a 429", () => {
  it("says too many requests in the reader's language", () => {
    for (const locale of ["zh", "en"] as const) {
      const html = translated(locale, 429);
      expect(html).toContain(errors[locale].tooManyTitle);
      expect(html).toContain(errors[locale].tooManyBody);
    }
  });

  it("says it in both languages when the language is unknown", () => {
    const html = renderToStaticMarkup(createElement(ErrorPage, { status: 429, bilingual: true }));
    for (const locale of ["zh", "en"] as const) expect(html).toContain(errors[locale].tooManyTitle);
  });
});
