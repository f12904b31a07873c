import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader, StatCard } from "~/components/page";
import { coopOverview } from "~/domain/consoles.server";
import { useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  return coopOverview(user.villageId);
}

export default function CoopHome() {
  const t = useT();
  const { lots, households } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("coop.title")} body={t("coop.body")} />
      <div className="grid grid-cols-2 gap-3">
        <StatCard label={t("coop.lots")} value={lots} />
        <StatCard label={t("coop.households")} value={households} />
      </div>
      <nav aria-label={t("coop.title")} className="flex flex-wrap gap-2">
        {(["orders", "lots", "picking", "payouts", "products"] as const).map((area) => (
          <Link key={area} to={`/coop/${area}`} className="rounded-md border border-stone-300 bg-white px-4 py-2 hover:border-brand-500">
            {t(`cooperative.nav.${area}`)}
          </Link>
        ))}
      </nav>
    </div>
  );
}
