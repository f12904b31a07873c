import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/auth/guards.server";
import { FormAlert, SubmitButton } from "~/components/forms";
import { OrderStatusBadge } from "~/components/order-status";
import { PageHeader } from "~/components/page";
import { notFound } from "~/domain/errors";
import { villageGroupName } from "~/domain/households/village-groups";
import { formatFen } from "~/domain/money";
import { payForOrder } from "~/domain/payments/stripe.server";
import { PayOrderSchema } from "~/domain/payments/schemas";
import { getOrderPageForBuyer } from "~/domain/shop/orders.server";
import { rateOrderLine } from "~/domain/purchases/ratings.server";
import { confirmReceiptByBuyer } from "~/domain/purchases/receipt.server";
import { RateSchema, ReceiveSchema, unknownIntent } from "~/domain/purchases/schemas";
import { FetcherOutcome, RowAction } from "~/components/row-action";
import { ErrorList } from "~/components/forms";
import { languageTag, type MessageKey } from "~/i18n/i18n";
import { useLocale, useT, useTranslateRef } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) => (data ? t("orders.number", { number: data.order.number }) : t("orders.title")));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await getOrderPageForBuyer(user.id, params.number ?? "");
  if (!page) throw notFound();
  return page;
}

const OrderActionSchema = z.discriminatedUnion("intent", [PayOrderSchema, ReceiveSchema, RateSchema], unknownIntent);

/**
 * The buyer's buttons on their order: "Pay now" (to Stripe Checkout), "I received it" (one tap; the order then
 * counts toward the unit's target), and a rating per line once received. Each refusal says why, writing nothing.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = params.number ?? "";
  const submission = await parseForm(request, OrderActionSchema);
  // Not one of the page's forms is malformed (400); one of them with a bad value, such as a sixth star, is not valid (422).
  if (submission.status !== "success") return invalid(submission, { status: submission.error?.intent ? 400 : 422 });
  const input = submission.value;
  return runCommand(submission, async () => {
    if (input.intent === "receive") {
      const { already } = await confirmReceiptByBuyer(user.id, number);
      return done(submission, already ? "purchases.receipt.already" : "purchases.receipt.done");
    }
    if (input.intent === "rate") {
      await rateOrderLine(user.id, number, input);
      return done(submission, "purchases.rating.done");
    }
    return redirect((await payForOrder(user.id, number)).url);
  });
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
  const { order, households, receipt, ratings } = useLoaderData<typeof loader>();
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
            <li key={step.key} className={step.at ? "text-stone-900" : "text-stone-500"}>
              <span className="font-medium">{t(step.key)}</span>
              {step.at ? <span className="ml-2 text-sm text-stone-600">{formatDateTime(step.at, tag)}</span> : null}
            </li>
          ))}
        </ol>
      </section>

      {order.status === "paid" ? <ReceiptSection receivedAt={order.receivedAt} receivedBy={order.receivedBy} receipt={receipt} /> : null}

      <section aria-labelledby="lines" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="lines" className="font-semibold">
          {t("orders.lines")}
        </h2>
        <ul className="mt-2 divide-y divide-stone-100">
          {order.lines.map((line) => (
            <li key={line.id} className="space-y-2 py-2 text-sm">
              <p className="flex justify-between gap-4">
                <span>
                  {name(line)} × {line.quantity}
                  {line.refundedQuantity > 0 ? (
                    <span className="ml-1 text-amber-800">{t("orders.refundedUnits", { count: line.refundedQuantity })}</span>
                  ) : null}
                </span>
                <span className="whitespace-nowrap">{formatFen(line.lineTotalFen)}</span>
              </p>
              {order.status === "paid" && receipt.countedAt ? <LineRating lineId={line.id} rating={ratings[line.id]} /> : null}
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

/** Whether the goods arrived: the one-tap confirmation, or when and how the receipt was confirmed. */
function ReceiptSection({
  receivedAt,
  receivedBy,
  receipt,
}: {
  receivedAt: Date | string | null;
  receivedBy: string | null;
  receipt: { countedAt: Date | string | null; autoDays: number };
}) {
  const t = useT();
  const tag = languageTag(useLocale());
  const at = receivedAt ?? receipt.countedAt;
  return (
    <section aria-labelledby="receipt" className="space-y-2 rounded-lg border border-brand-200 bg-brand-50 p-4 text-sm">
      <h2 id="receipt" className="font-semibold">
        {t("purchases.receipt.title")}
      </h2>
      {at ? (
        <p data-testid="received">
          {t("purchases.receipt.receivedAt", { date: formatDateTime(at, tag) })}{" "}
          {receivedBy === "organizer"
            ? t("purchases.receipt.byOrganizer")
            : receivedAt
              ? null
              : t("purchases.receipt.auto", { days: receipt.autoDays })}
        </p>
      ) : (
        <>
          <p>{t("purchases.receipt.ask")}</p>
          <RowAction
            intent="receive"
            fetcherKey="receive"
            label={t("purchases.receipt.confirm")}
            pendingLabel={t("purchases.receipt.confirming")}
          />
        </>
      )}
      <FetcherOutcome fetcherKey="receive" />
    </section>
  );
}

/** One line's rating: the buyer's stars once given, otherwise 1–5 stars and a comment, sent on their own. */
function LineRating({ lineId, rating }: { lineId: string; rating?: { stars: number; comment: string | null; hidden: boolean } }) {
  const t = useT();
  const translate = useTranslateRef();
  const fetcher = useFetcher<FormAnswer>();
  if (rating) {
    return (
      <p className="text-stone-700" data-testid="your-rating">
        {t("purchases.rating.yours", { stars: rating.stars })} {rating.comment ? `· ${rating.comment}` : null}
        {rating.hidden ? <span className="ml-1 text-stone-500">{t("purchases.rating.hiddenNote")}</span> : null}
      </p>
    );
  }
  const errors = fetcher.state === "idle" ? fetcher.data?.result.error : undefined;
  const pending = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" className="space-y-2 rounded-md border border-stone-200 p-3">
      <input type="hidden" name="intent" value="rate" />
      <input type="hidden" name="orderLineId" value={lineId} />
      <fieldset>
        <legend className="font-medium">{t("purchases.rating.stars")}</legend>
        <div className="mt-1 flex gap-1">
          {[1, 2, 3, 4, 5].map((stars) => (
            <label
              key={stars}
              className="inline-flex min-w-11 cursor-pointer items-center justify-center gap-1 rounded-md border border-stone-300 px-2 py-2 has-checked:border-brand-600 has-checked:bg-brand-50"
            >
              <input type="radio" name="stars" value={stars} className="sr-only" required />
              <span aria-hidden="true">{"★".repeat(stars)}</span>
              <span className="sr-only">{t("purchases.rating.starsValue", { stars })}</span>
            </label>
          ))}
        </div>
        <ErrorList errors={errors?.stars} />
      </fieldset>
      <label className="block">
        <span className="font-medium">{t("purchases.rating.comment")}</span>
        <textarea name="comment" rows={2} maxLength={500} className="mt-1 w-full rounded-md border border-stone-300 px-3 py-2 text-base" />
      </label>
      <ErrorList errors={errors?.comment} />
      {errors?.[""]?.length ? (
        <p role="alert" className="text-red-700">
          {errors[""].map((error) => translate(error)).join(" ")}
        </p>
      ) : null}
      {errors?.orderLineId?.length ? (
        <p role="alert" className="text-red-700">
          {errors.orderLineId.map((error) => translate(error)).join(" ")}
        </p>
      ) : null}
      <SubmitButton
        label={t("purchases.rating.submit")}
        pendingLabel={t("purchases.rating.submitting")}
        pending={pending}
        variant="secondary"
      />
    </fetcher.Form>
  );
}
