import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { allowAnonymous } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { traceLot } from "~/domain/cooperative/lots.server";
import { useLocale, useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";
import { notFound } from "~/utils/responses.server";

// Public: the page a lot's QR label opens. It shows only what traceLot allows (no personal data).
export async function loader({ request, params }: LoaderFunctionArgs) {
  allowAnonymous(request);
  const code = params.code ?? "";
  const lot = /^[A-Za-z0-9_-]{4,64}$/.test(code) ? await traceLot(code) : null;
  if (!lot) notFound("Unknown trace code");
  return { lot };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.lot.sku.product.nameZh} · ${data.lot.code}` : "溯源" },
];

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
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-stone-600">{t("cooperative.trace.producedOn")}</dt>
        <dd>{isoDay(lot.producedOn)}</dd>
        <dt className="text-stone-600">{t("cooperative.trace.receivedOn")}</dt>
        <dd>{isoDay(lot.receivedOn)}</dd>
        <dt className="text-stone-600">{t("cooperative.trace.bestBefore")}</dt>
        <dd>{isoDay(lot.bestBefore)}</dd>
        <dt className="text-stone-600">{t("cooperative.trace.village")}</dt>
        <dd>
          {en
            ? `${lot.village.nameEn}, ${lot.sku.product.cooperative.nameEn}`
            : `${lot.village.county}${lot.village.name} · ${lot.sku.product.cooperative.name}`}
        </dd>
        <dt className="text-stone-600">{t("cooperative.trace.producer")}</dt>
        <dd>{producer?.displayName ?? t("cooperative.trace.anonymous")}</dd>
      </dl>
      {story ? <p className="rounded-lg bg-white p-4 text-stone-700">{story}</p> : null}
    </article>
  );
}
