import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { isOrderStatus, listCoopOrders, withinVillage } from "~/domain/cooperative/scope.server";
import { formatFen } from "~/domain/money";
import { useT } from "~/i18n/react";
import { parsePageQuery } from "~/utils/search-params";

const STATUSES = ["pending_payment", "paid", "refunded", "cancelled", "expired"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const { page } = parsePageQuery(request);
  const raw = new URL(request.url).searchParams.get("status");
  const status = isOrderStatus(raw) ? raw : undefined;
  return { status: status ?? "", ...(await withinVillage(listCoopOrders(user, { status, page }))) };
}

export default function CoopOrders() {
  const t = useT();
  const { orders, status, page, pages } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("cooperative.orders.title")} />
      <Form method="get" className="flex gap-2">
        <select
          name="status"
          defaultValue={status}
          aria-label={t("cooperative.orders.status")}
          className="rounded-md border border-stone-300 px-3 py-2"
        >
          <option value="">{t("cooperative.orders.allStatuses")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`cooperative.status.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2">
          {t("common.search")}
        </button>
      </Form>
      {orders.length === 0 ? (
        <p className="text-stone-600">{t("cooperative.orders.empty")}</p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {orders.map((o) => (
            <li key={o.id}>
              <Link to={o.id} className="flex flex-wrap items-baseline gap-x-4 p-3 hover:bg-stone-50">
                <span className="font-mono">{o.number}</span>
                <span>{t(`cooperative.status.${o.status}`)}</span>
                <span className="text-sm text-stone-600">{t(`cooperative.fulfilmentStatus.${o.fulfilmentStatus}`)}</span>
                <span className="ml-auto">{formatFen(o.totalFen)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
