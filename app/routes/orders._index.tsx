import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { OrderStatusBadge } from "~/components/order-status";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { formatFen } from "~/domain/money";
import { closeLapsedGroupOrders } from "~/domain/group-orders/access.server";
import { listGroupOrderNotifications } from "~/domain/notifications.server";
import { listOrdersForUser } from "~/domain/shop/orders.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";

export const meta = pageTitle("orders.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { page } = parsePageQuery(request);
  // Group orders close by the clock; catching up here is what tells a buyer that theirs has closed.
  await closeLapsedGroupOrders();
  const [{ orders, pages }, notifications] = await Promise.all([listOrdersForUser(user.id, page), listGroupOrderNotifications(user.id)]);
  return { page, pages, orders, notifications };
}

export default function OrdersPage() {
  const t = useT();
  const locale = useLocale();
  const { orders, page, pages, notifications } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("orders.title")} />
      {notifications.length > 0 ? (
        <section aria-labelledby="notifications-title" className="rounded-lg border border-brand-100 bg-brand-50 p-4">
          <h2 id="notifications-title" className="text-sm font-semibold text-brand-800">
            {t("notifications.title")}
          </h2>
          <ul className="mt-2 space-y-1 text-sm" data-testid="notifications">
            {notifications.map((note) => (
              <li key={note.id}>
                <span className="text-stone-500">{formatDateTime(note.createdAt, languageTag(locale))}</span>{" "}
                {t(`notifications.${note.kind.replace("group_order.", "") as "closed"}`, {
                  title: note.payload.title,
                  place: note.payload.pickupPoint,
                  date: formatDate(note.payload.deliveryDate, languageTag(locale)),
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {orders.length === 0 ? (
        <p className="text-stone-600">
          {t("orders.empty")}{" "}
          <Link to="/" className="text-brand-700 underline">
            {t("nav.shop")}
          </Link>
        </p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {orders.map((order) => (
            <li key={order.number}>
              <Link to={`/orders/${order.number}`} className="block space-y-1 p-4 hover:bg-stone-50">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium">{t("orders.number", { number: order.number })}</span>
                  <span className="flex gap-1">
                    {order.refundedFen > 0 && order.status !== "refunded" ? (
                      <span className="rounded-full bg-stone-200 px-2.5 py-0.5 text-xs font-medium text-stone-700">
                        {t("orders.partlyRefunded")}
                      </span>
                    ) : null}
                    <OrderStatusBadge status={order.status} fulfilmentStatus={order.fulfilmentStatus} />
                  </span>
                </div>
                <ul className="text-sm text-stone-600">
                  {order.lines.map((line, index) => (
                    <li key={index}>
                      {locale === "en" ? line.nameEn : line.nameZh} × {line.quantity}
                      {line.refundedQuantity > 0 ? (
                        <span className="ml-1 text-amber-800">{t("orders.refundedUnits", { count: line.refundedQuantity })}</span>
                      ) : null}
                    </li>
                  ))}
                </ul>
                <div className="flex items-end justify-between gap-2 text-sm">
                  <span className="text-stone-500">{formatDateTime(order.createdAt, languageTag(locale))}</span>
                  <span className="text-right">
                    {order.refundedFen > 0 ? (
                      <>
                        <s className="mr-1 text-stone-500">{formatFen(order.totalFen)}</s>
                        <span className="font-semibold">{formatFen(order.netFen)}</span>
                        <span className="block text-xs text-amber-800">
                          {t("orders.refundedAmount", { amount: formatFen(order.refundedFen) })}
                        </span>
                      </>
                    ) : (
                      <span className="font-semibold">{formatFen(order.totalFen)}</span>
                    )}
                  </span>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
