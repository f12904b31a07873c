import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader, StatCard } from "~/components/page";
import { adminOverview } from "~/domain/consoles.server";
import { useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("admin.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { users } = await adminOverview();
  return { users };
}

export default function AdminHome() {
  const t = useT();
  const { users } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("admin.title")} body={t("admin.body")} />
      <Link to="/admin/users" className="block max-w-xs">
        <StatCard label={t("admin.usersTitle")} value={users} />
      </Link>
      <ul className="flex flex-wrap gap-x-6 gap-y-2">
        {(
          [
            ["/admin/units", "adminPages.units.title"],
            ["/admin/villages", "adminPages.villages.title"],
            ["/admin/settings", "adminPages.settings.title"],
            ["/admin/audit", "adminPages.audit.title"],
            ["/admin/jobs", "jobs.title"],
          ] as const
        ).map(([to, label]) => (
          <li key={to}>
            <Link to={to} className="text-brand-700 underline">
              {t(label)}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
