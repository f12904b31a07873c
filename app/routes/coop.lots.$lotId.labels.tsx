import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { config } from "~/config.server";
import { lotLabels, MAX_LABELS } from "~/domain/cooperative/labels.server";
import { useLocale, useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? t("cooperative.labels.title", { code: data.code }) : t("cooperative.lots.title"),
);

const Copies = z.coerce.number().int().min(1).max(MAX_LABELS).optional().catch(undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const copies = Copies.parse(new URL(request.url).searchParams.get("copies") ?? undefined);
  return lotLabels(user, params.lotId ?? "", config().appUrl, copies);
}

export default function LotLabels() {
  const t = useT();
  const locale = useLocale();
  const lot = useLoaderData<typeof loader>();
  const product = locale === "en" ? `${lot.sku.product.nameEn} · ${lot.sku.nameEn}` : `${lot.sku.product.nameZh} · ${lot.sku.nameZh}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3 print:hidden">
        <h1 className="text-2xl font-semibold">{t("cooperative.labels.title", { code: lot.code })}</h1>
        <p className="text-sm text-stone-600">{t("cooperative.labels.count", { count: lot.copies })}</p>
        <button type="button" onClick={() => window.print()} className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white">
          {t("cooperative.labels.print")}
        </button>
      </div>
      <ol className="grid grid-cols-1 gap-2 sm:grid-cols-2 md:grid-cols-3 print:grid-cols-3 print:gap-1">
        {Array.from({ length: lot.copies }, (_, index) => (
          <li
            key={index}
            className="flex break-inside-avoid gap-2 rounded border border-stone-300 bg-white p-2 text-xs"
            data-testid="label"
          >
            {/* The SVG is generated on the server by the QR library from our own URL, not from user input. */}
            <div className="h-24 w-24 shrink-0" aria-label={lot.traceUrl} role="img" dangerouslySetInnerHTML={{ __html: lot.qrSvg }} />
            <div className="min-w-0 space-y-0.5 break-words">
              <p className="font-semibold">{product}</p>
              <p>{t("cooperative.labels.lot", { code: lot.code })}</p>
              <p>{t("cooperative.labels.produced", { date: isoDay(lot.producedOn) })}</p>
              <p>{t("cooperative.labels.bestBefore", { date: isoDay(lot.bestBefore) })}</p>
              <p>
                {t("cooperative.labels.producer", { name: lot.producer, village: locale === "en" ? lot.village.nameEn : lot.village.name })}
              </p>
              <p className="text-stone-500">{t("cooperative.labels.scan")}</p>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
