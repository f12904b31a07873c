import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader, StatCard } from "~/components/page";
import { teamOverview } from "~/domain/consoles.server";
import { useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team", "admin");
  return teamOverview(user.villageId);
}

export default function TeamHome() {
  const t = useT();
  const { households, registeredPoor } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("team.title")} body={t("team.body")} />
      <div className="grid grid-cols-2 gap-3">
        <StatCard label={t("team.households")} value={households} />
        <StatCard label={t("team.registeredPoor")} value={registeredPoor} />
      </div>
    </div>
  );
}
