import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorList, Field, FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { FetcherOutcome, RowAction } from "~/components/row-action";
import { advanceFulfilment, cancelUnpaidOrder } from "~/domain/cooperative/fulfilment.server";
import { nextFulfilmentStep } from "~/domain/cooperative/fulfilment-steps";
import { moveAllocation, moveOptions } from "~/domain/cooperative/reallocation.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { OrderActionSchema } from "~/domain/cooperative/schemas";
import { coopOrderDetail } from "~/domain/cooperative/scope.server";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime, isoDay } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? t("cooperative.orders.pageTitle", { number: data.order.number }) : t("cooperative.orders.title"),
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const orderId = params.orderId ?? "";
  const [order, moves] = await Promise.all([coopOrderDetail(user, orderId), moveOptions(user, orderId)]);
  // A fresh key per page view: submitting a form twice (a retry, a double tap) refunds or moves once.
  return { order, moves, refundKey: crypto.randomUUID(), moveKey: crypto.randomUUID() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const submission = await parseForm(request, OrderActionSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const orderId = params.orderId ?? "";
  const input = submission.value;
  return runCommand(submission, async () => {
    switch (input.intent) {
      case "refund": {
        const refund = await refundOrder({
          orderId,
          actorId: user.id,
          villageId: user.villageId,
          idempotencyKey: input.idempotencyKey,
          reason: input.reason,
          ...(input.scope === "units" ? { lines: [{ orderLineId: input.orderLineId!, quantity: input.quantity! }] } : {}),
        });
        return done(submission, "cooperative.refund.done", { amount: formatFen(refund.amountFen) });
      }
      case "move": {
        const moved = await moveAllocation({
          actor: user,
          orderId,
          allocationId: input.allocationId,
          toLotId: input.toLotId,
          idempotencyKey: input.idempotencyKey,
        });
        return done(submission, "cooperative.reallocation.done", { count: moved.quantity });
      }
      case "cancel":
        await cancelUnpaidOrder(orderId, user);
        return done(submission, "cooperative.cancel.done");
      case "step":
        await advanceFulfilment(orderId, input.step, user);
        return done(submission, `cooperative.steps.done.${input.step}`);
    }
  });
}

/** The next fulfilment step and the cancel step share a fetcher: each replaces its own button, its answer stays. */
const STEP_FETCHER = "order-step";
/** A full refund removes its form; a move removes the allocation it came from. Their answers stay on the page. */
const REFUND_FETCHER = "order-refund";
const MOVE_FETCHER = "order-move";

type Data = SerializeFrom<typeof loader>;

export default function CoopOrder() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const { order, moves, refundKey, moveKey } = useLoaderData<typeof loader>();
  const next = order.status === "paid" ? nextFulfilmentStep(order.fulfilmentStatus) : null;
  const refundable = order.lines.filter((l) => l.quantity > l.refundedQuantity);
  const name = (names: { nameZh: string; nameEn: string }) => (locale === "en" ? names.nameEn : names.nameZh);
  return (
    <div className="space-y-6">
      <PageHeader
        title={t("cooperative.orders.pageTitle", { number: order.number })}
        body={`${t(`cooperative.status.${order.status}`)} · ${t(`cooperative.fulfilmentStatus.${order.fulfilmentStatus}`)} · ${formatFen(order.totalFen)}`}
      >
        <p className="text-sm text-stone-600">
          {[
            t(`cooperative.orders.payment.${order.paymentMethod}`),
            t("cooperative.orders.placedOn", { date: formatDateTime(order.createdAt, tag) }),
            ...(order.deliveryFeeFen > 0 ? [t("cooperative.orders.deliveryFee", { amount: formatFen(order.deliveryFeeFen) })] : []),
          ].join(" · ")}
        </p>
        {order.recipientName ? (
          <p className="break-words text-sm text-stone-700">{[order.recipientName, order.recipientPhone, order.address].join(" · ")}</p>
        ) : null}
        {order.groupOrder ? (
          <p className="break-words text-sm text-stone-700">
            {`${order.groupOrder.title} · ${order.groupOrder.pickupPoint} · ${formatDate(order.groupOrder.deliveryDate, tag)}`}
          </p>
        ) : null}
      </PageHeader>

      <section aria-labelledby="lines" className="space-y-2">
        <h2 id="lines" className="text-lg font-medium">
          {t("cooperative.orders.lines")}
        </h2>
        <FetcherOutcome fetcherKey={MOVE_FETCHER} withErrors={false} />
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {order.lines.map((line) => (
            <li key={line.id} className="space-y-1 p-3">
              <p>
                {`${name(line.sku.product)} ${name(line.sku)} × ${line.quantity} · ${formatFen(line.lineTotalFen)}`}
                {line.refundedQuantity ? ` · ${t("cooperative.orders.refunded", { count: line.refundedQuantity })}` : ""}
              </p>
              <ul className="space-y-1 text-sm text-stone-600">
                {line.allocations.map((a) => {
                  const move = moves.find((m) => m.allocationId === a.id);
                  return (
                    <li key={a.id}>
                      {t("cooperative.orders.allocations", {
                        household: a.lot.household.code,
                        lot: a.lot.code,
                        quantity: a.quantity - a.refundedQuantity,
                      })}
                      {move ? <MoveToAnotherLot move={move} household={a.lot.household.code} idempotencyKey={moveKey} /> : null}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      </section>

      {order.status === "paid" || order.status === "pending_payment" ? (
        <section aria-labelledby="steps" className="space-y-2">
          <h2 id="steps" className="text-lg font-medium">
            {order.status === "paid" ? t("cooperative.steps.title") : t("cooperative.cancel.title")}
          </h2>
          <FetcherOutcome fetcherKey={STEP_FETCHER} />
          {/* Keyed by the step, so the next step opens its own (closed) confirmation, not the one just used. */}
          {next ? (
            <RowAction
              key={next}
              intent="step"
              fields={{ step: next }}
              fetcherKey={STEP_FETCHER}
              label={t(`cooperative.steps.${next}`)}
              pendingLabel={t("cooperative.steps.pending")}
              confirm={t(`cooperative.steps.confirm.${next}`)}
              confirmLabel={t(`cooperative.steps.yes.${next}`)}
            />
          ) : order.status === "paid" ? (
            <p className="text-sm text-stone-600">{t("cooperative.steps.finished")}</p>
          ) : (
            <RowAction
              intent="cancel"
              fetcherKey={STEP_FETCHER}
              label={t("cooperative.cancel.submit")}
              pendingLabel={t("cooperative.cancel.pending")}
              confirm={t("cooperative.cancel.confirm")}
              confirmLabel={t("cooperative.cancel.yes")}
            />
          )}
        </section>
      ) : null}

      <FetcherOutcome fetcherKey={REFUND_FETCHER} withErrors={false} />
      {order.status === "paid" && refundable.length ? <RefundForm lines={refundable} idempotencyKey={refundKey} /> : null}

      {order.refunds.length ? (
        <section aria-labelledby="refunds" className="space-y-2">
          <h2 id="refunds" className="text-lg font-medium">
            {t("cooperative.orders.refunds")}
          </h2>
          <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white text-sm">
            {order.refunds.map((refund) => (
              <li key={refund.id} className="break-words p-3">
                {t("cooperative.orders.refundRow", {
                  date: formatDateTime(refund.createdAt, tag),
                  amount: formatFen(refund.amountFen),
                  reason: refund.reason,
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** A refund of some units of one line, or of everything left; checked as fields are left, confirmed by a tick. */
function RefundForm({ lines, idempotencyKey }: { lines: Data["order"]["lines"]; idempotencyKey: string }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: REFUND_FETCHER });
  const [form, fields] = useForm({
    id: "refund",
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    defaultValue: { scope: "units", orderLineId: lines[0]?.id },
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/schemas").then((m) => m.RefundSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="space-y-3 rounded-lg border border-red-200 bg-white p-4">
      <h2 className="text-lg font-medium">{t("cooperative.refund.title")}</h2>
      <input type="hidden" name="intent" value="refund" />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <FormAlert errors={form.errors} />
      <fieldset className="space-y-3">
        <legend className="sr-only">{t("cooperative.refund.title")}</legend>
        <label className="flex items-center gap-2 text-sm">
          <input {...getInputProps(fields.scope, { type: "radio", value: "units" })} /> {t("cooperative.refund.line")}
        </label>
        <div className="grid gap-3 pl-6 sm:grid-cols-2">
          <SelectField
            label={t("cooperative.refund.line")}
            errors={fields.orderLineId.errors}
            selectProps={getSelectProps(fields.orderLineId)}
          >
            {lines.map((line) => (
              <option key={line.id} value={line.id}>{`${line.sku.code} (≤ ${line.quantity - line.refundedQuantity})`}</option>
            ))}
          </SelectField>
          <Field
            label={t("cooperative.refund.quantity")}
            errors={fields.quantity.errors}
            inputProps={{ ...getInputProps(fields.quantity, { type: "number" }), min: 1, step: 1, inputMode: "numeric" }}
          />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input {...getInputProps(fields.scope, { type: "radio", value: "full" })} /> {t("cooperative.refund.full")}
        </label>
        <ErrorList errors={fields.scope.errors} />
      </fieldset>
      <Field
        label={t("cooperative.refund.reason")}
        errors={fields.reason.errors}
        inputProps={getInputProps(fields.reason, { type: "text" })}
      />
      <label className="flex items-start gap-2 text-sm">
        <input {...getInputProps(fields.confirm, { type: "checkbox", value: "yes" })} className="mt-1" /> {t("cooperative.refund.confirm")}
      </label>
      <ErrorList errors={fields.confirm.errors} />
      <SubmitButton
        label={t("cooperative.refund.submit")}
        pendingLabel={t("cooperative.refund.pending")}
        pending={fetcher.state !== "idle"}
        variant="danger"
      />
    </fetcher.Form>
  );
}

/**
 * "Move to another lot" for one allocation: the eligible lots (too small ones shown but not choosable), what the move
 * does to the ledger, and a confirmation, folded away until opened so the order page stays a list. The moves of the
 * page share one fetcher (its answer outlives the allocation that moved); each form keeps its own errors and pending
 * state by the allocation it sent.
 */
function MoveToAnotherLot({ move, household, idempotencyKey }: { move: Data["moves"][number]; household: string; idempotencyKey: string }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: MOVE_FETCHER });
  const pending = fetcher.state !== "idle" && fetcher.formData?.get("allocationId") === move.allocationId;
  const answer = fetcher.state === "idle" ? fetcher.data?.result : undefined;
  const [form, fields] = useForm({
    id: `move-${move.allocationId}`,
    lastResult: answer?.initialValue?.allocationId === move.allocationId ? answer : undefined,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/schemas").then((m) => m.MoveSchema)),
  });
  const problems = Boolean(form.errors?.length || fields.toLotId.errors?.length || fields.confirm.errors?.length);
  return (
    <details className="mt-1 sm:ml-4" open={problems || undefined}>
      <summary className="cursor-pointer text-brand-700">{t("cooperative.reallocation.open")}</summary>
      {move.targets.length === 0 ? (
        <p className="mt-1 text-stone-600">{t("cooperative.reallocation.none")}</p>
      ) : (
        <fetcher.Form method="post" {...getFormProps(form)} className="mt-2 space-y-2 rounded-md border border-stone-200 p-3">
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="allocationId" value={move.allocationId} />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <FormAlert errors={form.errors} />
          <SelectField
            label={t("cooperative.reallocation.lot")}
            errors={fields.toLotId.errors}
            selectProps={{ ...getSelectProps(fields.toLotId), defaultValue: "" }}
          >
            <option value="" disabled>
              {t("cooperative.reallocation.choose")}
            </option>
            {move.targets.map((lot) => (
              <option key={lot.id} value={lot.id} disabled={!lot.enough}>
                {t("cooperative.reallocation.option", {
                  lot: lot.code,
                  household: lot.householdDisplayName ? `${lot.householdCode} ${lot.householdDisplayName}` : lot.householdCode,
                  free: lot.free,
                  date: isoDay(lot.bestBefore),
                })}
                {lot.enough ? "" : t("cooperative.reallocation.short", { count: move.units })}
              </option>
            ))}
          </SelectField>
          <p className="text-stone-700">
            {move.transfer
              ? t("cooperative.reallocation.effectPaid", {
                  count: move.units,
                  household,
                  amount: formatFen(move.transfer.householdFen),
                  fee: formatFen(move.transfer.feeFen),
                })
              : t("cooperative.reallocation.effectUnpaid", { count: move.units })}
          </p>
          <label className="flex items-start gap-2">
            <input {...getInputProps(fields.confirm, { type: "checkbox", value: "yes" })} className="mt-1" />
            {t("cooperative.reallocation.confirm")}
          </label>
          <ErrorList errors={fields.confirm.errors} />
          <SubmitButton
            label={t("cooperative.reallocation.submit")}
            pendingLabel={t("cooperative.reallocation.pending")}
            pending={pending}
          />
        </fetcher.Form>
      )}
    </details>
  );
}
