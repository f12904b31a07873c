import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { config } from "~/config.server";
import { PageHeader } from "~/components/page";
import { getGroupOrderForOrganizer } from "~/domain/group-orders/access.server";
import { groupOrderLandingUrl } from "~/domain/posters/content.server";
import { LOCALES } from "~/i18n/i18n";
import { useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) => (data ? t("posters.title", { title: data.title }) : t("posters.share")));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const group = await getGroupOrderForOrganizer(user, params.id ?? "");
  return { id: group.id, title: group.title, landingUrl: groupOrderLandingUrl(group.id, config().appUrl) };
}

/** Both posters side by side, each with its download: organizers post the one their unit's group reads. */
export default function SharePoster() {
  const t = useT();
  const { id, title, landingUrl } = useLoaderData<typeof loader>();
  const base = `/organizer/group-orders/${id}`;
  return (
    <div className="space-y-6">
      <PageHeader title={t("posters.title", { title })} body={t("posters.intro")}>
        <Link to={base} className="text-sm text-brand-700 underline">
          ← {t("posters.back")}
        </Link>
      </PageHeader>
      <p className="text-sm">
        {t("posters.link")}{" "}
        <a href={landingUrl} className="break-all font-mono text-brand-700 underline">
          {landingUrl}
        </a>
      </p>
      <div className="grid gap-6 sm:grid-cols-2">
        {LOCALES.map((locale) => (
          <figure key={locale} className="space-y-2">
            <figcaption className="flex items-center justify-between gap-2">
              <span className="font-medium">{t(`posters.${locale}`)}</span>
              <a
                href={`${base}/poster.png?lang=${locale}&download=1`}
                download
                className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white"
                data-testid={`poster-download-${locale}`}
              >
                {t("posters.download")}
              </a>
            </figcaption>
            <img
              src={`${base}/poster.png?lang=${locale}`}
              alt={t("posters.preview", { language: t(`posters.${locale}`) })}
              width={1080}
              height={1920}
              className="h-auto w-full rounded-lg border border-stone-200 bg-white"
            />
          </figure>
        ))}
      </div>
    </div>
  );
}
