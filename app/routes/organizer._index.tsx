import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { listGroupOrdersByOrganizer } from "~/domain/group-orders.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDateTime } from "~/utils/dates";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer");
  return { groupOrders: await listGroupOrdersByOrganizer(user.id) };
}

export default function OrganizerHome() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { groupOrders } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("organizer.title")} body={t("organizer.body")} />
      <section>
        <h2 className="text-lg font-semibold">{t("organizer.groupOrders")}</h2>
        {groupOrders.length === 0 ? (
          <p className="mt-2 text-stone-600">{t("common.empty")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
            {groupOrders.map((group) => (
              <li key={group.id} className="p-4">
                <p className="font-medium">{group.title}</p>
                <p className="text-sm text-stone-600">{t("home.groupOrderCloses", { date: formatDateTime(group.closesAt, tag) })}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
