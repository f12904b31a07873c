import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { FormAlert, SubmitButton } from "~/components/forms";
import { OrderStatusBadge } from "~/components/order-status";
import { PageHeader } from "~/components/page";
import { notFound } from "~/domain/errors";
import { villageGroupName } from "~/domain/households/village-groups";
import { formatFen } from "~/domain/money";
import { payForOrder } from "~/domain/payments/stripe.server";
import { PayOrderSchema } from "~/domain/payments/schemas";
import { getOrderForBuyer, householdsCreditedByOrder } from "~/domain/shop/orders.server";
import { languageTag, type MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) => (data ? t("orders.number", { number: data.order.number }) : t("orders.title")));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const order = await getOrderForBuyer(user.id, params.number ?? "");
  if (!order) throw notFound();
  const { id, ...shown } = order;
  return { order: shown, households: await householdsCreditedByOrder(id) };
}

/** "Pay now" on an unpaid card order: to its Stripe Checkout page, or the reason it cannot be paid. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = await parseForm(request, PayOrderSchema);
  if (submission.status !== "success") return invalid(submission);
  return runCommand(submission, async () => redirect((await payForOrder(user.id, params.number ?? "")).url));
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
  const actionData = useActionData<FormAnswer>();
  const [searchParams] = useSearchParams();
  const name = (item: { nameZh: string; nameEn: string }) => (locale === "en" ? item.nameEn : item.nameZh);
  // Back from Stripe: the payment is being confirmed (the webhook), so the page thanks rather than asks again.
  const returnedPaid = searchParams.get("paid") === "1";
  return (
    <div className="space-y-6">
      <PageHeader
        title={t("orders.number", { number: order.number })}
        body={t("orders.placedAt", { date: formatDateTime(order.createdAt, tag) })}
      >
        <p className="flex gap-1">
          {order.refundedFen > 0 && order.status !== "refunded" ? (
            <span className="rounded-full bg-stone-200 px-2.5 py-0.5 text-xs font-medium text-stone-700">{t("orders.partlyRefunded")}</span>
          ) : null}
          <OrderStatusBadge status={order.status} fulfilmentStatus={order.fulfilmentStatus} />
        </p>
      </PageHeader>

      {returnedPaid ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900">
          {t("orders.thanks")}
        </p>
      ) : null}
      {order.payable && order.expiresAt && !returnedPaid ? (
        <section className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          <p role="status">
            {searchParams.get("payment") === "failed"
              ? t("checkout.paymentFailed", { time: formatDateTime(order.expiresAt, tag) })
              : t("orders.payBy", { time: formatDateTime(order.expiresAt, tag) })}
          </p>
          <FormAlert errors={actionData?.result.error?.[""]} />
          <Form method="post" className="max-w-xs">
            <input type="hidden" name="intent" value="pay" />
            <SubmitButton label={t("orders.payNow")} pendingLabel={t("orders.paying")} />
          </Form>
        </section>
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
                {name(line)} × {line.quantity}
                {line.refundedQuantity > 0 ? (
                  <span className="ml-1 text-amber-800">{t("orders.refundedUnits", { count: line.refundedQuantity })}</span>
                ) : null}
              </span>
              <span className="whitespace-nowrap">{formatFen(line.lineTotalFen)}</span>
            </li>
          ))}
        </ul>
        <dl className="mt-2 space-y-1 border-t border-stone-200 pt-2 text-sm">
          <div className="flex justify-between">
            <dt>{t("checkout.deliveryFee")}</dt>
            <dd>{formatFen(order.deliveryFeeFen)}</dd>
          </div>
          <div className={`flex justify-between ${order.refundedFen > 0 ? "" : "font-semibold"}`}>
            <dt>{t("checkout.total")}</dt>
            <dd>{formatFen(order.totalFen)}</dd>
          </div>
          {order.refundedFen > 0 ? (
            <>
              <div className="flex justify-between text-amber-800">
                <dt>{t("orders.refunded")}</dt>
                <dd>−{formatFen(order.refundedFen)}</dd>
              </div>
              <div className="flex justify-between font-semibold">
                <dt>{t("orders.netTotal")}</dt>
                <dd data-testid="net-total">{formatFen(order.netFen)}</dd>
              </div>
            </>
          ) : null}
        </dl>
        <p className="mt-3 text-sm text-stone-600">
          {order.groupOrder
            ? t("orders.pickup", { place: order.groupOrder.pickupPoint, date: formatDate(order.groupOrder.deliveryDate, tag) })
            : t("orders.deliverTo", { name: order.recipientName ?? "", address: order.address ?? "" })}
        </p>
      </section>

      {order.refunds.length > 0 ? (
        <section aria-labelledby="refunds" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
          <h2 id="refunds" className="font-semibold">
            {t("orders.refunds")}
          </h2>
          <ul className="mt-2 space-y-3 text-sm">
            {order.refunds.map((refund) => (
              <li key={refund.id}>
                <p className="font-medium">
                  {t("orders.refundedOn", { date: formatDateTime(refund.createdAt, tag), amount: formatFen(refund.amountFen) })}
                </p>
                <ul className="mt-1 space-y-0.5 text-stone-700">
                  {refund.lines.map((line, index) => (
                    <li key={index} className="flex justify-between gap-4">
                      <span>{t("orders.refundLine", { name: name(line), quantity: line.quantity })}</span>
                      <span className="whitespace-nowrap">−{formatFen(line.amountFen)}</span>
                    </li>
                  ))}
                  {refund.deliveryFeeFen > 0 ? (
                    <li className="flex justify-between gap-4">
                      <span>{t("orders.refundDeliveryFee")}</span>
                      <span className="whitespace-nowrap">−{formatFen(refund.deliveryFeeFen)}</span>
                    </li>
                  ) : null}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

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
