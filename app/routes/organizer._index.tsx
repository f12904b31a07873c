import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { listGroupOrdersForOrganizer } from "~/domain/group-orders/queries.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  return { groupOrders: await listGroupOrdersForOrganizer(user) };
}

export default function OrganizerHome() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { groupOrders } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("organizer.title")} body={t("organizer.body")} />
      <section>
        <div className="flex items-center justify-between gap-2">
          <h2 className="text-lg font-semibold">{t("organizer.groupOrders")}</h2>
          <Link
            to="/organizer/group-orders/new"
            className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800"
          >
            {t("groupOrders.new")}
          </Link>
        </div>
        {groupOrders.length === 0 ? (
          <p className="mt-2 text-stone-600">{t("common.empty")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
            {groupOrders.map((group) => (
              <li key={group.id}>
                <Link to={`/organizer/group-orders/${group.id}`} className="block space-y-1 p-4 hover:bg-stone-50">
                  <p className="flex flex-wrap items-center justify-between gap-2">
                    <span className="font-medium">{group.title}</span>
                    <span className="rounded bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700">
                      {t(`groupOrders.state.${group.state}`)}
                    </span>
                  </p>
                  <p className="text-sm text-stone-600">
                    {t("groupOrders.window", { opens: formatDateTime(group.opensAt, tag), closes: formatDateTime(group.closesAt, tag) })} ·{" "}
                    {t("groupOrders.orderCount", { count: group._count.orders })}
                  </p>
                  <p className="text-sm text-stone-600">
                    {t("groupOrders.pickup", { place: group.pickupPoint, date: formatDate(group.deliveryDate, tag) })}
                  </p>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
