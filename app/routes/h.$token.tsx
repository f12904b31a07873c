import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { createElement, type ReactNode } from "react";
import { clientIp } from "~/auth/login-attempts.server";
import { allowAnonymous } from "~/auth/guards.server";
import { ErrorPage, errorRequestId } from "~/components/error-page";
import { householdCardFigures } from "~/domain/households/card-page.server";
import { openHouseholdCard } from "~/domain/households/cards.server";
import { formatFen } from "~/domain/money";
import outreach from "~/i18n/areas/outreach";
import { DEFAULT_LOCALE, isLocale, languageTag, type Locale } from "~/i18n/i18n";
import { catalogs, getLocale, localeCookie } from "~/i18n/i18n.server";
import { I18nProvider, useLocale, useT } from "~/i18n/react";
import { formatDate } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";
import { limitRequest } from "~/utils/rate-limit.server";

// A household's own page behind the link on its card: public (the token is the key), so private to the browser,
// kept out of search engines and of Referer headers, rate-limited per address, and the same 404 for every token that
// does not open a card.
const PRIVATE_HEADERS = {
  "Cache-Control": "private, no-store",
  "X-Robots-Tag": "noindex, nofollow",
  "Referrer-Policy": "no-referrer",
};

export const headers: HeadersFunction = ({ errorHeaders }) => {
  const retryAfter = errorHeaders?.get("Retry-After");
  return retryAfter ? { ...PRIVATE_HEADERS, "Retry-After": retryAfter } : PRIVATE_HEADERS;
};

export const meta: MetaFunction<typeof loader> = (args) => [
  ...pageTitle("cardPage.title")(args),
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  allowAnonymous(request);
  await limitRequest("householdCard", clientIp(context));
  const householdId = await openHouseholdCard(params.token ?? "");
  const figures = await householdCardFigures(householdId);
  // Chinese unless the reader chose English with the language switch: the card is a Chinese document, whatever
  // language a borrowed phone's browser asks for.
  const chosen: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  const locale: Locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  const messages = locale === (await getLocale(request)) ? null : catalogs[locale];
  return data({ ...figures, locale, messages }, { headers: PRIVATE_HEADERS });
}

export default function HouseholdCardPage() {
  const { locale, messages, ...figures } = useLoaderData<typeof loader>();
  const page = (
    <div lang={languageTag(locale)}>
      <CardPage figures={figures} />
    </div>
  );
  return messages ? (
    <I18nProvider locale={locale} messages={messages}>
      {page}
    </I18nProvider>
  ) : (
    page
  );
}

type Figures = Omit<ReturnType<typeof useLoaderData<typeof loader>>, "locale" | "messages">;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-3 rounded-xl border-2 border-stone-200 bg-white p-5">
      <h2 className="text-2xl font-bold">{title}</h2>
      {children}
    </section>
  );
}

/** Large type for older eyes on small phones: figures first, one thing per section, no abbreviations. */
function CardPage({ figures }: { figures: Figures }) {
  const t = useT();
  const en = useLocale() === "en";
  const tag = languageTag(useLocale());
  const { household, years, payouts, balanceFen, everSold } = figures;
  const [thisYear, lastYear] = years as [Figures["years"][number], Figures["years"][number]];
  return (
    <article className="mx-auto max-w-xl space-y-5 text-xl leading-relaxed">
      <header className="space-y-1">
        <h1 className="text-3xl font-bold" data-testid="card-household">
          {t("cardPage.heading", { code: household.code, name: household.name })}
        </h1>
        <p className="text-stone-600">
          {t("cardPage.place", { village: en ? household.village.nameEn : household.village.name, group: household.villageGroup })}
        </p>
        <p>{t("cardPage.intro")}</p>
      </header>

      <section className="rounded-xl bg-brand-50 p-5" aria-labelledby="balance">
        <h2 id="balance" className="text-xl font-semibold">
          {t("cardPage.balance")}
        </h2>
        <p className="text-5xl font-bold text-brand-700" data-testid="card-balance">
          {formatFen(balanceFen)}
        </p>
        <p className="text-stone-700">{t("cardPage.balanceNote")}</p>
      </section>

      {!everSold ? (
        <p role="status" className="rounded-xl border-2 border-amber-200 bg-amber-50 p-5">
          {t("cardPage.noSales")}
        </p>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3">
            {[thisYear, lastYear].map((year) => (
              <div key={year.year} className="rounded-xl border-2 border-stone-200 bg-white p-4">
                <p className="text-lg text-stone-600">{t("cardPage.yearIncome", { year: year.year })}</p>
                <p className="text-3xl font-bold" data-testid={`card-income-${year.year}`}>
                  {formatFen(year.incomeFen)}
                </p>
              </div>
            ))}
          </div>

          <Section title={t("cardPage.byMonth")}>
            <table className="w-full text-left">
              <thead>
                <tr className="border-b-2 border-stone-200">
                  <th className="py-1">{t("cardPage.month")}</th>
                  <th className="py-1 text-right">{t("cardPage.yearColumn", { year: thisYear.year })}</th>
                  <th className="py-1 text-right">{t("cardPage.yearColumn", { year: lastYear.year })}</th>
                </tr>
              </thead>
              <tbody>
                {thisYear.months.map((fen, index) => (
                  <tr key={index} className="border-b border-stone-100">
                    <th scope="row" className="py-1 font-normal">
                      {t("cardPage.monthName", { month: index + 1 })}
                    </th>
                    <td className="py-1 text-right tabular-nums">{fen === 0 ? "—" : formatFen(fen)}</td>
                    <td className="py-1 text-right tabular-nums">
                      {lastYear.months[index] === 0 ? "—" : formatFen(lastYear.months[index]!)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>

          {[thisYear, lastYear].map((year) => (
            <Section key={year.year} title={t("cardPage.buyers", { year: year.year })}>
              {year.purchases.length === 0 ? (
                <p className="text-stone-600">{t("cardPage.noBuyers", { year: year.year })}</p>
              ) : (
                <table className="w-full text-left" data-testid={`card-buyers-${year.year}`}>
                  <thead>
                    <tr className="border-b-2 border-stone-200">
                      <th className="py-1">{t("cardPage.unit")}</th>
                      <th className="py-1">{t("cardPage.product")}</th>
                      <th className="py-1 text-right">{t("cardPage.quantity")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {year.purchases.map((row, index) => (
                      <tr key={index} className="border-b border-stone-100 align-top">
                        <td className="py-1">{(en ? row.unitNameEn : row.unitName) ?? t("cardPage.otherBuyers")}</td>
                        <td className="py-1">{en ? `${row.productEn} ${row.skuEn}` : `${row.productZh} ${row.skuZh}`}</td>
                        <td className="py-1 text-right tabular-nums">{t("cardPage.pieces", { count: row.boxes })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>
          ))}

          <Section title={t("cardPage.fee")}>
            {[thisYear, lastYear].map((year) => (
              <p key={year.year} data-testid={`card-fee-${year.year}`}>
                {t("cardPage.feeLine", { year: year.year, amount: formatFen(year.feeFen) })}
              </p>
            ))}
            <p className="text-lg text-stone-600">{t("cardPage.feeNote")}</p>
          </Section>
        </>
      )}

      <Section title={t("cardPage.payouts")}>
        {payouts.length === 0 ? (
          <p className="text-stone-600">{t("cardPage.noPayouts")}</p>
        ) : (
          <table className="w-full text-left" data-testid="card-payouts">
            <thead>
              <tr className="border-b-2 border-stone-200">
                <th className="py-1">{t("cardPage.payoutDate")}</th>
                <th className="py-1">{t("cardPage.payoutMethod")}</th>
                <th className="py-1 text-right">{t("cardPage.payoutAmount")}</th>
              </tr>
            </thead>
            <tbody>
              {payouts.map((payout) => (
                <tr key={payout.id} className="border-b border-stone-100">
                  <td className="py-1">{formatDate(payout.paidOn, tag)}</td>
                  <td className="py-1">{t(`payoutMethods.${payout.method}`)}</td>
                  <td className="py-1 text-right tabular-nums">{formatFen(payout.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <p className="rounded-xl bg-stone-100 p-4 text-lg">{t("cardPage.privacy")}</p>
    </article>
  );
}

/**
 * The same answer for a token that never was, one replaced and one cut short; and a kind word when limited. In
 * Chinese first whatever the browser asks for, as the page itself (the loader that would have said otherwise failed).
 */
export function ErrorBoundary() {
  const locale = useLocale();
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status !== 404 && status !== 429) return <ErrorPage status={status} requestId={errorRequestId(error)} />;
  const catalogs = locale === "en" ? [outreach.zh.cardPage, outreach.en.cardPage] : [outreach.zh.cardPage];
  return (
    <div className="mx-auto max-w-xl space-y-6 py-8 text-xl">
      {catalogs.map((page, index) => (
        <section key={index} lang={index === 0 ? "zh-CN" : "en"} className="space-y-3">
          {createElement(
            index === 0 ? "h1" : "h2",
            { className: "text-3xl font-bold" },
            status === 404 ? page.notFoundTitle : page.tooManyTitle,
          )}
          <p>{status === 404 ? page.notFoundBody : page.tooManyBody}</p>
        </section>
      ))}
    </div>
  );
}
