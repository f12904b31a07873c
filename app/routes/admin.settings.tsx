import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DataTable } from "~/components/data-table";
import { PageHeader } from "~/components/page";
import { villageSettings } from "~/domain/accounts/admin.server";
import { basisPointsToPercentText, formatFen } from "~/domain/money";
import { useLocalizedName, useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("adminPages.settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { villages: await villageSettings() };
}

/** Each village's settings side by side; each is edited on the work team's settings page for that village. */
export default function AdminSettings() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { villages } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("adminPages.settings.title")} body={t("adminPages.settings.body")} />
      <DataTable
        caption={t("adminPages.settings.title")}
        rows={villages}
        rowKey={(village) => village.id}
        columns={[
          { header: t("adminPages.settings.village"), cell: (village) => localizedName(village) },
          {
            header: t("adminPages.settings.threshold"),
            cell: (village) => (village.settings.perCapitaThresholdFen === null ? "—" : formatFen(village.settings.perCapitaThresholdFen)),
            numeric: true,
          },
          {
            header: t("adminPages.settings.dropShare"),
            cell: (village) => `${basisPointsToPercentText(village.settings.incomeDropShareBp)}%`,
            numeric: true,
          },
          { header: t("adminPages.settings.noSalesDays"), cell: (village) => village.settings.noSalesDays, numeric: true },
          {
            header: t("adminPages.settings.edit"),
            cell: (village) => (
              <Link to={`/team/settings?village=${village.id}`} className="text-brand-700 underline">
                {t("adminPages.settings.edit")}
              </Link>
            ),
          },
        ]}
      />
    </div>
  );
}
