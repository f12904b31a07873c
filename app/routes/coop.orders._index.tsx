import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { COOP_ORDER_STATUSES } from "~/domain/cooperative/order-statuses";
import { listCoopOrders } from "~/domain/cooperative/scope.server";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";

export const meta = pageTitle("cooperative.orders.title");

const StatusFilter = z.enum(COOP_ORDER_STATUSES).optional().catch(undefined);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const { page } = parsePageQuery(request);
  const status = StatusFilter.parse(new URL(request.url).searchParams.get("status") ?? undefined);
  const { orders, total, pages } = await listCoopOrders(user, { status, page });
  return { status: status ?? "", orders, total, page, pages };
}

export default function CoopOrders() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { orders, total, status, page, pages } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("cooperative.orders.title")} body={t("cooperative.orders.count", { count: total })} />
      <Form method="get" className="flex flex-wrap gap-2">
        <select
          name="status"
          defaultValue={status}
          aria-label={t("cooperative.orders.status")}
          className="min-w-0 flex-1 rounded-md border border-stone-300 bg-white px-3 py-2 sm:flex-none"
        >
          <option value="">{t("cooperative.orders.allStatuses")}</option>
          {COOP_ORDER_STATUSES.map((s) => (
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
              <Link to={o.id} className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-0.5 p-3 hover:bg-stone-50 sm:flex sm:items-baseline">
                <span className="break-all font-mono">{o.number}</span>
                <span className="text-right sm:order-last sm:ml-auto">{formatFen(o.totalFen)}</span>
                <span className="text-sm">
                  {t(`cooperative.status.${o.status}`)} · {t(`cooperative.fulfilmentStatus.${o.fulfilmentStatus}`)}
                </span>
                <span className="text-right text-sm text-stone-600 sm:text-left">
                  {t(`cooperative.orders.kind.${o.fulfilment}`)} ·{" "}
                  {t("cooperative.orders.placedOn", { date: formatDate(o.createdAt, tag) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
