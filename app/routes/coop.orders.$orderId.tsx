import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { coopOrderDetail, withinVillage } from "~/domain/cooperative.server";
import { advanceFulfilment, cancelUnpaidOrder, OrderStateError } from "~/domain/fulfilment.server";
import { formatFen } from "~/domain/money";
import { RefundError, refundOrder } from "~/domain/refunds.server";
import type { MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const order = await withinVillage(coopOrderDetail(user, params.orderId ?? ""));
  // A fresh key per page view: submitting this form twice (a retry, a double click) refunds once.
  return { order, refundKey: crypto.randomUUID() };
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

type FieldErrors = Partial<Record<"quantity" | "reason" | "confirm" | "form", MessageKey[]>>;
type ActionAnswer = { ok: false; errors: FieldErrors; params?: Record<string, string> } | { ok: true; message: MessageKey; params?: Record<string, string> };

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
      return answer({ ok: false, errors: { form: [`cooperative.errors.refund.${error.reason}`] }, params: { message: error.message } }, error.reason === "stripe_refused" ? 502 : 409);
    }
    if (error instanceof OrderStateError) return answer({ ok: false, errors: { form: ["cooperative.errors.state"] }, params: { message: error.message } }, 409);
    throw error;
  }
}

const button = "rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm hover:border-brand-500";

export default function CoopOrder() {
  const t = useT();
  const locale = useLocale();
  const { order, refundKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  const show = (keys?: MessageKey[]) => keys?.map((key) => (
    <p key={key} role="alert" className="text-sm text-red-700">
      {t(key, result?.params)}
    </p>
  ));
  const refundable = order.lines.filter((l) => l.quantity > l.refundedQuantity);
  return (
    <div className="space-y-6">
      <PageHeader title={`${t("cooperative.orders.number")} ${order.number}`} body={`${t(`cooperative.status.${order.status}`)} · ${t(`cooperative.fulfilmentStatus.${order.fulfilmentStatus}`)} · ${formatFen(order.totalFen)}`}>
        <Link to="/coop/orders" className="text-sm text-brand-700 underline">
          {t("cooperative.nav.orders")}
        </Link>
      </PageHeader>
      {result?.ok ? <p role="status" className="rounded-md bg-green-50 p-3 text-green-800">{t(result.message, result.params)}</p> : null}
      {show(errors.form)}
      {order.recipientName ? <p className="text-sm text-stone-700">{[order.recipientName, order.recipientPhone, order.address].join(" · ")}</p> : null}
      {order.groupOrder ? <p className="text-sm text-stone-700">{`${order.groupOrder.title} · ${order.groupOrder.pickupPoint}`}</p> : null}
      <section aria-labelledby="lines">
        <h2 id="lines" className="text-lg font-medium">{t("cooperative.orders.lines")}</h2>
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {order.lines.map((line) => (
            <li key={line.id} className="p-3">
              <p>
                {`${locale === "en" ? line.sku.product.nameEn : line.sku.product.nameZh} ${locale === "en" ? line.sku.nameEn : line.sku.nameZh} × ${line.quantity} · ${formatFen(line.lineTotalFen)}`}
                {line.refundedQuantity ? ` · ${t("cooperative.orders.refunded", { count: line.refundedQuantity })}` : ""}
              </p>
              <ul className="text-sm text-stone-600">
                {line.allocations.map((a) => (
                  <li key={a.id}>{t("cooperative.orders.allocations", { household: a.lot.household.code, lot: a.lot.code, quantity: a.quantity - a.refundedQuantity })}</li>
                ))}
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
            <input name="quantity" type="number" min={1} step={1} className="ml-2 w-24 rounded-md border border-stone-300 px-2 py-1" aria-invalid={errors.quantity ? true : undefined} />
          </label>
          {show(errors.quantity)}
          <label className="block text-sm">
            <input type="radio" name="scope" value="full" /> {t("cooperative.refund.full")}
          </label>
          <label className="block text-sm">
            {t("cooperative.refund.reason")}
            <input name="reason" className="ml-2 rounded-md border border-stone-300 px-2 py-1" aria-invalid={errors.reason ? true : undefined} />
          </label>
          {show(errors.reason)}
          <label className="block text-sm">
            <input type="checkbox" name="confirm" value="yes" /> {t("cooperative.refund.confirm")}
          </label>
          {show(errors.confirm)}
          <button type="submit" className="rounded-md bg-red-700 px-3 py-1.5 text-sm text-white">{t("cooperative.refund.submit")}</button>
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
          <button type="submit" className="rounded-md bg-red-700 px-3 py-1.5 text-sm text-white">{t("cooperative.cancel.submit")}</button>
        </Form>
      ) : null}
    </div>
  );
}
