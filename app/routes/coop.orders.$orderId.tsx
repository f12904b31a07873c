import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { SelectField } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { coopOrderDetail, withinVillage } from "~/domain/cooperative/scope.server";
import { advanceFulfilment, cancelUnpaidOrder, OrderStateError } from "~/domain/cooperative/fulfilment.server";
import { formatFen } from "~/domain/money";
import { MoveError, moveAllocation, moveOptions } from "~/domain/cooperative/reallocation.server";
import { RefundError, refundOrder } from "~/domain/cooperative/refunds.server";
import type { MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const order = await withinVillage(coopOrderDetail(user, params.orderId ?? ""));
  const moves = await withinVillage(moveOptions(user, order.id));
  // A fresh key per page view: submitting a form twice (a retry, a double click) refunds or moves once.
  return { order, moves, refundKey: crypto.randomUUID(), moveKey: crypto.randomUUID() };
}

const RefundForm = z.object({
  intent: z.literal("refund"),
  idempotencyKey: z.string().min(8).max(100),
  scope: z.enum(["units", "full"]),
  orderLineId: z.string().optional(),
  quantity: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
  reason: z.string().trim().min(2).max(200).optional().catch(undefined),
  confirm: z.literal("yes").optional().catch(undefined),
});

const MoveForm = z.object({
  intent: z.literal("move"),
  idempotencyKey: z.string().min(8).max(100),
  allocationId: z.string().min(1).max(100),
  toLotId: z.string().max(100).optional().catch(undefined),
  confirm: z.literal("yes").optional().catch(undefined),
});

/** Bad input about the lot is the user's to fix (422); an order or allocation that changed meanwhile is a conflict. */
const MOVE_STATUS: Record<MoveError["reason"], number> = {
  not_found: 404,
  order_state: 409,
  already_moved: 409,
  nothing_to_move: 409,
  key_reused: 409,
  same_lot: 422,
  wrong_sku: 422,
  expired_lot: 422,
  lot_short: 422,
  too_many_units: 422,
  partial_move: 422,
};

type FieldErrors = Partial<Record<"quantity" | "reason" | "confirm" | "form" | "lot", MessageKey[]>>;
type ActionAnswer =
  | { ok: false; errors: FieldErrors; params?: Record<string, string>; allocationId?: string }
  | { ok: true; message: MessageKey; params?: Record<string, string> };

const answer = (body: ActionAnswer, status = 200) => data(body, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const orderId = params.orderId ?? "";
  const form = Object.fromEntries(await request.formData());
  try {
    switch (form.intent) {
      case "refund": {
        const parsed = RefundForm.safeParse(form);
        if (!parsed.success) return answer({ ok: false, errors: { form: ["cooperative.errors.quantity"] } }, 400);
        const input = parsed.data;
        const errors: FieldErrors = {};
        if (input.scope === "units" && (!input.orderLineId || !input.quantity)) errors.quantity = ["cooperative.errors.quantity"];
        if (!input.reason) errors.reason = ["cooperative.errors.reason"];
        if (!input.confirm) errors.confirm = ["cooperative.errors.confirm"];
        if (Object.keys(errors).length) return answer({ ok: false, errors }, 422);
        const result = await withinVillage(
          refundOrder({
            orderId,
            actorId: user.id,
            villageId: user.villageId,
            idempotencyKey: input.idempotencyKey,
            reason: input.reason!,
            ...(input.scope === "units" ? { lines: [{ orderLineId: input.orderLineId!, quantity: input.quantity! }] } : {}),
          }),
        );
        return answer({ ok: true, message: "cooperative.refund.done", params: { amount: formatFen(result.amountFen) } });
      }
      case "move": {
        const parsed = MoveForm.safeParse(form);
        if (!parsed.success) return answer({ ok: false, errors: { form: ["cooperative.reallocation.errors.chooseLot"] } }, 400);
        const input = parsed.data;
        const errors: FieldErrors = {};
        if (!input.toLotId) errors.lot = ["cooperative.reallocation.errors.chooseLot"];
        if (!input.confirm) errors.confirm = ["cooperative.errors.confirm"];
        if (Object.keys(errors).length) return answer({ ok: false, errors, allocationId: input.allocationId }, 422);
        try {
          const moved = await withinVillage(
            moveAllocation({
              actor: user,
              allocationId: input.allocationId,
              toLotId: input.toLotId!,
              idempotencyKey: input.idempotencyKey,
            }),
          );
          return answer({ ok: true, message: "cooperative.reallocation.done", params: { count: String(moved.quantity) } });
        } catch (error) {
          if (!(error instanceof MoveError)) throw error;
          const errors = { lot: [`cooperative.reallocation.errors.${error.reason}` as const] };
          return answer(
            { ok: false, errors, params: { ...error.params, message: error.message }, allocationId: input.allocationId },
            MOVE_STATUS[error.reason],
          );
        }
      }
      case "cancel": {
        if (form.confirm !== "yes") return answer({ ok: false, errors: { confirm: ["cooperative.errors.confirm"] } }, 422);
        await withinVillage(cancelUnpaidOrder(orderId, user));
        return answer({ ok: true, message: "cooperative.cancel.done" });
      }
      case "packed":
      case "shipped":
      case "delivered": {
        await withinVillage(advanceFulfilment(orderId, form.intent, user));
        return answer({ ok: true, message: "cooperative.steps.done" });
      }
      default:
        return answer({ ok: false, errors: { form: ["cooperative.errors.state"] }, params: { message: "unknown intent" } }, 400);
    }
  } catch (error) {
    if (error instanceof RefundError) {
      return answer(
        { ok: false, errors: { form: [`cooperative.errors.refund.${error.reason}`] }, params: { message: error.message } },
        error.reason === "stripe_refused" ? 502 : 409,
      );
    }
    if (error instanceof OrderStateError)
      return answer({ ok: false, errors: { form: ["cooperative.errors.state"] }, params: { message: error.message } }, 409);
    throw error;
  }
}

const button = "rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm hover:border-brand-500";

export default function CoopOrder() {
  const t = useT();
  const locale = useLocale();
  const { order, moves, refundKey, moveKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A move's errors belong to its allocation's form (MoveToAnotherLot), not to the refund and cancel forms.
  const errors: FieldErrors = result && !result.ok && !result.allocationId ? result.errors : {};
  const show = (keys?: MessageKey[]) =>
    keys?.map((key) => (
      <p key={key} role="alert" className="text-sm text-red-700">
        {t(key, result?.params)}
      </p>
    ));
  const refundable = order.lines.filter((l) => l.quantity > l.refundedQuantity);
  return (
    <div className="space-y-6">
      <PageHeader
        title={`${t("cooperative.orders.number")} ${order.number}`}
        body={`${t(`cooperative.status.${order.status}`)} · ${t(`cooperative.fulfilmentStatus.${order.fulfilmentStatus}`)} · ${formatFen(order.totalFen)}`}
      >
        <Link to="/coop/orders" className="text-sm text-brand-700 underline">
          {t("cooperative.nav.orders")}
        </Link>
      </PageHeader>
      {result?.ok ? (
        <p role="status" className="rounded-md bg-green-50 p-3 text-green-800">
          {t(result.message, result.params)}
        </p>
      ) : null}
      {show(errors.form)}
      {order.recipientName ? (
        <p className="text-sm text-stone-700">{[order.recipientName, order.recipientPhone, order.address].join(" · ")}</p>
      ) : null}
      {order.groupOrder ? <p className="text-sm text-stone-700">{`${order.groupOrder.title} · ${order.groupOrder.pickupPoint}`}</p> : null}
      <section aria-labelledby="lines">
        <h2 id="lines" className="text-lg font-medium">
          {t("cooperative.orders.lines")}
        </h2>
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {order.lines.map((line) => (
            <li key={line.id} className="p-3">
              <p>
                {`${locale === "en" ? line.sku.product.nameEn : line.sku.product.nameZh} ${locale === "en" ? line.sku.nameEn : line.sku.nameZh} × ${line.quantity} · ${formatFen(line.lineTotalFen)}`}
                {line.refundedQuantity ? ` · ${t("cooperative.orders.refunded", { count: line.refundedQuantity })}` : ""}
              </p>
              <ul className="text-sm text-stone-600">
                {line.allocations.map((a) => {
                  const move = moves.find((m) => m.allocationId === a.id);
                  return (
                    <li key={a.id}>
                      {t("cooperative.orders.allocations", {
                        household: a.lot.household.code,
                        lot: a.lot.code,
                        quantity: a.quantity - a.refundedQuantity,
                      })}
                      {move ? (
                        <MoveToAnotherLot move={move} household={a.lot.household.code} idempotencyKey={moveKey} answer={result} />
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      </section>
      {order.status === "paid" ? (
        <Form method="post" className="flex flex-wrap gap-2">
          {(["packed", "shipped", "delivered"] as const).map((step) => (
            <button key={step} type="submit" name="intent" value={step} className={button}>
              {t(`cooperative.steps.${step}`)}
            </button>
          ))}
        </Form>
      ) : null}
      {order.status === "paid" && refundable.length ? (
        <Form method="post" className="space-y-3 rounded-lg border border-red-200 bg-white p-4">
          <h2 className="text-lg font-medium">{t("cooperative.refund.title")}</h2>
          <input type="hidden" name="intent" value="refund" />
          <input type="hidden" name="idempotencyKey" value={refundKey} />
          <label className="block text-sm">
            <input type="radio" name="scope" value="units" defaultChecked /> {t("cooperative.refund.line")}
            <select name="orderLineId" className="ml-2 rounded-md border border-stone-300 px-2 py-1">
              {refundable.map((line) => (
                <option key={line.id} value={line.id}>{`${line.sku.code} (≤ ${line.quantity - line.refundedQuantity})`}</option>
              ))}
            </select>
          </label>
          <label className="block text-sm">
            {t("cooperative.refund.quantity")}
            <input
              name="quantity"
              type="number"
              min={1}
              step={1}
              className="ml-2 w-24 rounded-md border border-stone-300 px-2 py-1"
              aria-invalid={errors.quantity ? true : undefined}
            />
          </label>
          {show(errors.quantity)}
          <label className="block text-sm">
            <input type="radio" name="scope" value="full" /> {t("cooperative.refund.full")}
          </label>
          <label className="block text-sm">
            {t("cooperative.refund.reason")}
            <input
              name="reason"
              className="ml-2 rounded-md border border-stone-300 px-2 py-1"
              aria-invalid={errors.reason ? true : undefined}
            />
          </label>
          {show(errors.reason)}
          <label className="block text-sm">
            <input type="checkbox" name="confirm" value="yes" /> {t("cooperative.refund.confirm")}
          </label>
          {show(errors.confirm)}
          <button type="submit" className="rounded-md bg-red-700 px-3 py-1.5 text-sm text-white">
            {t("cooperative.refund.submit")}
          </button>
        </Form>
      ) : null}
      {order.status === "pending_payment" ? (
        <Form method="post" className="space-y-2 rounded-lg border border-red-200 bg-white p-4">
          <h2 className="text-lg font-medium">{t("cooperative.cancel.title")}</h2>
          <input type="hidden" name="intent" value="cancel" />
          <label className="block text-sm">
            <input type="checkbox" name="confirm" value="yes" /> {t("cooperative.refund.confirm")}
          </label>
          {show(errors.confirm)}
          <button type="submit" className="rounded-md bg-red-700 px-3 py-1.5 text-sm text-white">
            {t("cooperative.cancel.submit")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

/**
 * "Move to another lot" for one allocation: the eligible lots (too small ones shown but not choosable), what the move
 * does to the ledger, and a confirmation, folded away until opened so the order page stays a list.
 */
function MoveToAnotherLot({
  move,
  household,
  idempotencyKey,
  answer,
}: {
  move: SerializeFrom<typeof loader>["moves"][number];
  household: string;
  idempotencyKey: string;
  answer: SerializeFrom<typeof action> | undefined;
}) {
  const t = useT();
  const navigation = useNavigation();
  const pending = navigation.formData?.get("intent") === "move" && navigation.formData.get("allocationId") === move.allocationId;
  const errors: FieldErrors = answer && !answer.ok && answer.allocationId === move.allocationId ? answer.errors : {};
  const problem = (keys?: MessageKey[]) =>
    keys?.map((key) => (
      <p key={key} role="alert" className="text-sm text-red-700">
        {t(key, answer?.params)}
      </p>
    ));
  return (
    <details className="ml-4 mt-1" open={errors.lot || errors.confirm ? true : undefined}>
      <summary className="cursor-pointer text-brand-700">{t("cooperative.reallocation.open")}</summary>
      {move.targets.length === 0 ? (
        <p className="mt-1 text-stone-600">{t("cooperative.reallocation.none")}</p>
      ) : (
        <Form method="post" className="mt-2 space-y-2 rounded-md border border-stone-200 p-3">
          <input type="hidden" name="intent" value="move" />
          <input type="hidden" name="allocationId" value={move.allocationId} />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <SelectField label={t("cooperative.reallocation.lot")} selectProps={{ name: "toLotId", defaultValue: "" }}>
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
          {problem(errors.lot)}
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
          <label className="block">
            <input type="checkbox" name="confirm" value="yes" /> {t("cooperative.reallocation.confirm")}
          </label>
          {problem(errors.confirm)}
          <button
            type="submit"
            disabled={pending}
            aria-busy={pending}
            className="rounded-md bg-brand-600 px-3 py-1.5 text-white disabled:opacity-70"
          >
            {pending ? t("cooperative.reallocation.pending") : t("cooperative.reallocation.submit")}
          </button>
        </Form>
      )}
    </details>
  );
}
