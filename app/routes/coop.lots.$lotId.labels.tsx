import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { config } from "~/config.server";
import { withinVillage } from "~/domain/cooperative/scope.server";
import { lotLabels, MAX_LABELS } from "~/domain/cooperative/labels.server";
import { useLocale, useT } from "~/i18n/react";
import { notFound } from "~/utils/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const copies = z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LABELS)
    .optional()
    .catch(undefined)
    .parse(new URL(request.url).searchParams.get("copies") ?? undefined);
  const labels = await withinVillage(lotLabels(user, params.lotId ?? "", config().appUrl, copies));
  if (!labels) notFound();
  return labels;
}

const day = (value: string | Date) => String(value instanceof Date ? value.toISOString() : value).slice(0, 10);

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
        <button type="button" onClick={() => window.print()} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">
          {t("cooperative.labels.print")}
        </button>
      </div>
      <ol className="grid grid-cols-2 gap-2 sm:grid-cols-3 print:grid-cols-3 print:gap-1">
        {Array.from({ length: lot.copies }, (_, index) => (
          <li
            key={index}
            className="flex break-inside-avoid gap-2 rounded border border-stone-300 bg-white p-2 text-xs"
            data-testid="label"
          >
            {/* The SVG is generated on the server by the QR library from our own URL, not from user input. */}
            <div className="h-24 w-24 shrink-0" aria-label={lot.traceUrl} role="img" dangerouslySetInnerHTML={{ __html: lot.qrSvg }} />
            <div className="space-y-0.5">
              <p className="font-semibold">{product}</p>
              <p>{t("cooperative.labels.lot", { code: lot.code })}</p>
              <p>{t("cooperative.labels.produced", { date: day(lot.producedOn) })}</p>
              <p>{t("cooperative.labels.bestBefore", { date: day(lot.bestBefore) })}</p>
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
