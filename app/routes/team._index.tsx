import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader, StatCard } from "~/components/page";
import { teamOverview } from "~/domain/consoles.server";
import { lastLedgerAudit } from "~/domain/ledger/audit.server";
import { countOpenAlerts } from "~/domain/households/monitoring.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDateTime } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("team.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team", "admin");
  const [overview, audit, openAlerts] = await Promise.all([teamOverview(user.villageId), lastLedgerAudit(), countOpenAlerts(user)]);
  return { ...overview, audit, openAlerts };
}

export default function TeamHome() {
  const t = useT();
  const locale = useLocale();
  const { households, registeredPoor, audit, openAlerts } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("team.title")} body={t("team.body")} />
      <div className="grid grid-cols-2 gap-3">
        <Link to="/team/households">
          <StatCard label={t("team.households")} value={households} />
        </Link>
        <StatCard label={t("team.registeredPoor")} value={registeredPoor} />
        <Link to="/team/alerts">
          <StatCard label={t("households.alerts.open")} value={openAlerts} />
        </Link>
      </div>
      <nav className="flex flex-wrap gap-x-4 gap-y-2 text-brand-700 underline">
        <Link to="/team/dashboard">{t("reports.dashboardLink")}</Link>
        <Link to="/team/reports">{t("reports.reportsLink")}</Link>
        <Link to="/team/cards">{t("cards.title")}</Link>
      </nav>
      <p
        role="status"
        className={`rounded-md border p-3 text-sm ${audit && audit.differenceCount > 0 ? "border-red-200 bg-red-50 text-red-800" : "border-stone-200 bg-white"}`}
      >
        {audit
          ? t("team.lastAudit", {
              date: formatDateTime(audit.finishedAt, languageTag(locale)),
              households: audit.householdsSeen,
              count: audit.differenceCount,
            })
          : t("team.noAudit")}
      </p>
    </div>
  );
}
