import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { formatFen } from "~/domain/money";
import { printPayoutReceipt } from "~/domain/receipts/payout-receipts.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("receipts.title");

// Each opening is a print (the page exists to be printed) and is numbered and audited as one.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop", "admin");
  return printPayoutReceipt(user, params.payoutId ?? "");
}

const cell = "border border-stone-500 px-3 py-2";

/** 收款凭证 on half an A4 page: figures and capitals, the period, and lines for the signatures. */
export default function PayoutReceipt() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const receipt = useLoaderData<typeof loader>();
  const payer = locale === "en" ? receipt.payer.nameEn : receipt.payer.name;
  const rows: [string, string][] = [
    [t("receipts.household"), [receipt.household.code, receipt.household.displayName].filter(Boolean).join(" ")],
    [
      t("receipts.period"),
      t("receipts.periodRange", { from: formatDate(receipt.period.from, tag), to: formatDate(receipt.period.to, tag) }),
    ],
    [t("receipts.amountFigures"), formatFen(receipt.amountFen)],
    [t("receipts.amountWords"), `${t("receipts.currency")} ${receipt.amountWords}`],
    [t("receipts.method"), t(`payoutMethods.${receipt.method}`)],
    [t("receipts.reference"), receipt.reference],
    [t("receipts.paidOn"), formatDate(receipt.paidOn, tag)],
    [t("receipts.balanceAfter"), formatFen(receipt.balanceAfterFen)],
  ];
  return (
    <article className="mx-auto max-w-[190mm] space-y-4 bg-white p-6 text-base print:p-0" data-testid="receipt">
      <style>{"@page { size: A4; margin: 15mm; }"}</style>
      <div className="flex items-center justify-between gap-2 print:hidden">
        <Link to={`/coop/payouts/${receipt.householdId}`} className="text-brand-700 underline">
          ← {t("receipts.back")}
        </Link>
        <button type="button" onClick={() => window.print()} className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white">
          {t("receipts.print")}
        </button>
      </div>
      <header className="text-center">
        <h1 className="text-2xl font-bold tracking-widest">{t("receipts.title")}</h1>
        <p className="mt-1 flex justify-between text-sm">
          <span>{t("receipts.payer", { name: payer })}</span>
          <span>{t("receipts.number", { number: receipt.number })}</span>
        </p>
      </header>
      <table className="w-full border-collapse">
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row" className={`${cell} w-1/3 bg-stone-50 text-left font-normal`}>
                {label}
              </th>
              <td className={cell} data-testid={label === t("receipts.amountWords") ? "amount-words" : undefined}>
                {value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t("receipts.statement", { payer })}</p>
      <div className="grid grid-cols-2 gap-8 pt-6">
        {[t("receipts.signatureHead"), t("receipts.signatureHandler")].map((label) => (
          <div key={label} className="space-y-6">
            <p>
              {label} <span className="inline-block w-40 border-b border-stone-700" />
            </p>
            <p>
              {t("receipts.date")} <span className="inline-block w-40 border-b border-stone-700" />
            </p>
          </div>
        ))}
      </div>
      <footer className="flex justify-between border-t border-stone-300 pt-2 text-xs text-stone-600">
        <span>{receipt.recordedBy ? t("receipts.recordedBy", { name: receipt.recordedBy }) : null}</span>
        <span data-testid="print-number">
          {receipt.printNumber > 1 ? `${t("receipts.reprint")} · ` : null}
          {t("receipts.printCount", { count: receipt.printNumber })} ·{" "}
          {t("receipts.printedAt", { date: formatDateTime(receipt.printedAt, tag) })}
        </span>
      </footer>
    </article>
  );
}
