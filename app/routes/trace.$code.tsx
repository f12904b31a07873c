import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { allowAnonymous } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { traceLot } from "~/domain/cooperative/lots.server";
import { useLocale, useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? `${t("cooperative.trace.lot", { code: data.lot.code })} · ${t("cooperative.trace.title")}` : t("cooperative.trace.title"),
);

// Public: the page a lot's QR label opens. It shows only what traceLot allows (no personal data).
export async function loader({ request, params }: LoaderFunctionArgs) {
  allowAnonymous(request);
  return { lot: await traceLot(params.code ?? "") };
}

export default function TracePage() {
  const t = useT();
  const en = useLocale() === "en";
  const { lot } = useLoaderData<typeof loader>();
  const producer = lot.producer;
  const story = producer ? (en ? (producer.storyEn ?? producer.story) : producer.story) : null;
  return (
    <article className="space-y-4">
      <PageHeader
        title={`${en ? lot.sku.product.nameEn : lot.sku.product.nameZh} · ${en ? lot.sku.nameEn : lot.sku.nameZh}`}
        body={t("cooperative.trace.lot", { code: lot.code })}
      />
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1">
        <dt className="text-stone-600">{t("cooperative.trace.producedOn")}</dt>
        <dd>{isoDay(lot.producedOn)}</dd>
        <dt className="text-stone-600">{t("cooperative.trace.receivedOn")}</dt>
        <dd>{isoDay(lot.receivedOn)}</dd>
        <dt className="text-stone-600">{t("cooperative.trace.bestBefore")}</dt>
        <dd>{isoDay(lot.bestBefore)}</dd>
        <dt className="text-stone-600">{t("cooperative.trace.village")}</dt>
        <dd className="break-words">
          {en
            ? `${lot.village.nameEn}, ${lot.sku.product.cooperative.nameEn}`
            : `${lot.village.county}${lot.village.name} · ${lot.sku.product.cooperative.name}`}
        </dd>
        <dt className="text-stone-600">{t("cooperative.trace.producer")}</dt>
        <dd className="break-words">{producer?.displayName ?? t("cooperative.trace.anonymous")}</dd>
      </dl>
      {story ? <p className="break-words rounded-lg bg-white p-4 text-stone-700">{story}</p> : null}
    </article>
  );
}
