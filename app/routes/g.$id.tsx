import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOptionalUser } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { groupOrderLanding } from "~/domain/group-orders/landing.server";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) => data?.group.title ?? t("groupPage.items"));

// Open to everyone: the page behind a poster's QR code, scanned in a WeChat group by colleagues signed in or not.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return groupOrderLanding(params.id ?? "", user && { unitId: user.unitId });
}

export default function GroupOrderLanding() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const en = locale === "en";
  const { group, access, producers, next } = useLoaderData<typeof loader>();
  const units = group.units.map(({ unit }) => (en ? unit.nameEn : unit.name)).join(en ? ", " : "、");
  const producerNames = [
    ...producers.names,
    ...producers.groups.map(({ group: name, count }) => t("posters.art.groupHouseholds", { group: name, count })),
  ];
  const joinable = group.state === "open" && access !== "not_invited";
  return (
    <article className="space-y-5">
      <PageHeader title={group.title} body={t("groupPage.units", { units })} />
      {group.state === "open" ? null : (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-amber-900" data-testid="group-state-note">
          {group.state === "cancelled"
            ? t("groupPage.cancelled")
            : group.state === "draft"
              ? t("groupPage.notOpenYet", { date: formatDateTime(group.opensAt, tag) })
              : t("groupPage.closed", { date: formatDateTime(group.closedAt ?? group.closesAt, tag) })}
        </p>
      )}
      <div className="space-y-1">
        <p className="text-lg font-semibold text-brand-700">{t("groupPage.closes", { date: formatDateTime(group.closesAt, tag) })}</p>
        <p>{t("groupPage.pickup", { place: group.pickupPoint, date: formatDate(group.deliveryDate, tag) })}</p>
      </div>

      <section aria-labelledby="items" className="space-y-2">
        <h2 id="items" className="text-lg font-semibold">
          {t("groupPage.items")}
        </h2>
        <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white">
          {group.items.map(({ sku, perPersonLimit }) => (
            <li key={sku.id} className="flex flex-wrap items-baseline gap-x-3 p-3">
              <Link to={`/products/${sku.product.slug}`} className="font-medium text-brand-700 underline">
                {en ? `${sku.product.nameEn} · ${sku.nameEn}` : `${sku.product.nameZh} · ${sku.nameZh}`}
              </Link>
              <span className="font-semibold">{formatFen(sku.priceFen)}</span>
              {perPersonLimit ? <span className="text-sm text-stone-600">{t("groupPage.limit", { count: perPersonLimit })}</span> : null}
            </li>
          ))}
        </ul>
        {producerNames.length > 0 ? (
          <p className="text-sm text-stone-600">{t("groupPage.producers", { names: producerNames.join(en ? ", " : "、") })}</p>
        ) : null}
      </section>

      {joinable && access === "signed_out" ? (
        <section className="space-y-2 rounded-lg bg-brand-50 p-4">
          <p>{t("groupPage.signInHint")}</p>
          <Link
            to={`/login?${new URLSearchParams({ redirectTo: `/g/${group.id}` })}`}
            className="inline-block rounded-md bg-brand-700 px-4 py-2 font-medium text-white"
          >
            {t("groupPage.signIn")}
          </Link>
        </section>
      ) : null}
      {joinable && access === "invited" ? (
        <section className="space-y-2 rounded-lg bg-brand-50 p-4">
          <p>{t("groupPage.joinHint", { title: group.title })}</p>
          {group.items[0] ? (
            <Link
              to={`/products/${group.items[0].sku.product.slug}`}
              className="inline-block rounded-md bg-brand-700 px-4 py-2 font-medium text-white"
            >
              {t("groupPage.choose")}
            </Link>
          ) : null}
        </section>
      ) : null}
      {access === "not_invited" ? <p className="rounded-md bg-stone-100 p-3">{t("groupPage.notYourUnit", { units })}</p> : null}

      {joinable ? null : (
        <section aria-labelledby="next" className="space-y-2">
          <h2 id="next" className="text-lg font-semibold">
            {t("groupPage.nextOpen")}
          </h2>
          {next.length === 0 ? (
            <p className="text-stone-600">{t("groupPage.noNext")}</p>
          ) : (
            <ul className="space-y-2">
              {next.map((other) => (
                <li key={other.id}>
                  <Link to={`/g/${other.id}`} className="font-medium text-brand-700 underline">
                    {other.title}
                  </Link>{" "}
                  <span className="text-sm text-stone-600">{t("groupPage.closes", { date: formatDateTime(other.closesAt, tag) })}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </article>
  );
}
