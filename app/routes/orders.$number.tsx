import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { OrderStatusBadge } from "~/components/order-status";
import { PageHeader } from "~/components/page";
import { villageGroupName } from "~/domain/households/village-groups";
import { formatFen } from "~/domain/money";
import { getOrderForBuyer, householdsCreditedByOrder } from "~/domain/shop/orders.server";
import { languageTag, type MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";
import { notFound } from "~/utils/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const order = await getOrderForBuyer(user.id, params.number ?? "");
  if (!order) notFound();
  const { id, ...shown } = order;
  return { order: shown, households: await householdsCreditedByOrder(id) };
}

type Order = ReturnType<typeof useLoaderData<typeof loader>>["order"];

function timeline(order: Order): { key: MessageKey; at: Date | string | null }[] {
  const placed = { key: "orders.steps.placed" as const, at: order.createdAt };
  if (order.status === "expired") return [placed, { key: "orders.steps.expired", at: order.expiresAt }];
  if (order.status === "cancelled")
    return [
      placed,
      ...(order.paidAt ? [{ key: "orders.steps.paid" as const, at: order.paidAt }] : []),
      { key: "orders.steps.cancelled", at: order.cancelledAt },
    ];
  const steps: { key: MessageKey; at: Date | string | null }[] = [
    placed,
    { key: "orders.steps.paid", at: order.paidAt },
    { key: "orders.steps.packed", at: order.packedAt },
    { key: "orders.steps.shipped", at: order.shippedAt },
    { key: "orders.steps.delivered", at: order.deliveredAt },
  ];
  return order.status === "refunded" ? [...steps.filter((s) => s.at), { key: "orders.steps.refunded", at: null }] : steps;
}

export default function OrderPage() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const { order, households } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader
        title={t("orders.number", { number: order.number })}
        body={t("orders.placedAt", { date: formatDateTime(order.createdAt, tag) })}
      >
        <OrderStatusBadge status={order.status} fulfilmentStatus={order.fulfilmentStatus} />
      </PageHeader>

      {order.status === "pending_payment" && order.paymentMethod === "card" && order.expiresAt ? (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          {t("orders.payBy", { time: formatDateTime(order.expiresAt, tag) })}
        </p>
      ) : null}
      {order.status === "pending_payment" && order.paymentMethod === "unit_settlement" ? (
        <p role="status" className="rounded-md border border-stone-200 bg-white p-3 text-sm">
          {t("orders.awaitingSettlement")}
        </p>
      ) : null}

      <section aria-labelledby="timeline">
        <h2 id="timeline" className="text-lg font-semibold">
          {t("orders.timeline")}
        </h2>
        <ol className="mt-3 space-y-2 border-l-2 border-stone-200 pl-4">
          {timeline(order).map((step) => (
            <li key={step.key} className={step.at ? "text-stone-900" : "text-stone-400"}>
              <span className="font-medium">{t(step.key)}</span>
              {step.at ? <span className="ml-2 text-sm text-stone-600">{formatDateTime(step.at, tag)}</span> : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="lines" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="lines" className="font-semibold">
          {t("orders.lines")}
        </h2>
        <ul className="mt-2 divide-y divide-stone-100">
          {order.lines.map((line) => (
            <li key={line.id} className="flex justify-between gap-4 py-2 text-sm">
              <span>
                {locale === "en" ? line.sku.product.nameEn : line.sku.product.nameZh} ·{" "}
                {locale === "en" ? line.sku.nameEn : line.sku.nameZh} × {line.quantity}
              </span>
              <span>{formatFen(line.lineTotalFen)}</span>
            </li>
          ))}
        </ul>
        <dl className="mt-2 space-y-1 border-t border-stone-200 pt-2 text-sm">
          <div className="flex justify-between">
            <dt>{t("checkout.deliveryFee")}</dt>
            <dd>{formatFen(order.deliveryFeeFen)}</dd>
          </div>
          <div className="flex justify-between font-semibold">
            <dt>{t("checkout.total")}</dt>
            <dd>{formatFen(order.totalFen)}</dd>
          </div>
        </dl>
        <p className="mt-3 text-sm text-stone-600">
          {order.groupOrder
            ? t("orders.pickup", { place: order.groupOrder.pickupPoint, date: formatDate(order.groupOrder.deliveryDate, tag) })
            : t("orders.deliverTo", { name: order.recipientName ?? "", address: order.address ?? "" })}
        </p>
      </section>

      <section aria-labelledby="credited">
        <h2 id="credited" className="text-lg font-semibold">
          {t("orders.credited")}
        </h2>
        {households.length === 0 ? (
          <p className="mt-2 text-stone-600">{t("orders.creditedEmpty")}</p>
        ) : (
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {households.map((household, index) => (
              <li key={index} className="rounded-lg border border-green-200 bg-green-50 p-4">
                <p className="flex justify-between font-medium">
                  <span>
                    {household.displayName ?? t("orders.anonymousHousehold", { group: villageGroupName(household.villageGroup, locale) })}
                  </span>
                  <span className="text-green-800">+{formatFen(household.amountFen)}</span>
                </p>
                {household.displayName ? (
                  <p className="text-sm text-stone-600">{villageGroupName(household.villageGroup, locale)}</p>
                ) : null}
                {(locale === "en" ? household.storyEn : household.story) ? (
                  <p className="mt-1 text-sm text-stone-700">{locale === "en" ? household.storyEn : household.story}</p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <Link to="/orders" className="text-brand-700 underline">
        {t("orders.title")}
      </Link>
    </div>
  );
}
