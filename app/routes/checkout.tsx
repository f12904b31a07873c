import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole, type SessionUser } from "~/auth/guards.server";
import { Field, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { config } from "~/config.server";
import { getCartForCheckout, acknowledgeCartPrices, type CartLine } from "~/domain/shop/cart.server";
import { deliveryFeeFen, enterCheckout, placeOrder, type CheckoutProblem, type PlaceOrderResult } from "~/domain/shop/checkout.server";
import { listOpenGroupOrdersForUnit } from "~/domain/group-orders/queries.server";
import { formatFen } from "~/domain/money";
import { cardPaymentConfigured, createCheckoutSessionForOrder } from "~/domain/payments/stripe.server";
import { languageTag, type MessageKey } from "~/i18n/i18n";
import { useLocale, useT, type Translate } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";

const CheckoutSchema = z
  .object({
    idempotencyKey: z.uuid(),
    fulfilment: z.union([z.literal("delivery"), z.string().regex(/^group:[\w-]+$/)], { message: "checkout.chooseFulfilment" }),
    paymentMethod: z.enum(["card", "unit_settlement"], { message: "checkout.choosePayment" }),
    recipientName: z.string().trim().max(40).optional(),
    recipientPhone: z.string().trim().max(20).optional(),
    address: z.string().trim().max(200).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.fulfilment !== "delivery") return;
    for (const field of ["recipientName", "address"] as const) {
      if (!value[field]) ctx.addIssue({ code: "custom", path: [field], message: "errors.required" });
    }
    if (!/^1[3-9]\d{9}$/.test(value.recipientPhone ?? ""))
      ctx.addIssue({ code: "custom", path: ["recipientPhone"], message: "errors.invalidPhone" });
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "employee");
  const [lines, groupOrders, deliveryFee] = await Promise.all([
    getCartForCheckout(user.id),
    user.unitId ? listOpenGroupOrdersForUnit(user.unitId) : Promise.resolve([]),
    deliveryFeeFen(),
  ]);
  return {
    lines,
    groupOrders,
    deliveryFeeFen: deliveryFee,
    cardConfigured: cardPaymentConfigured(),
    paymentMethods: config().stripe.paymentMethods,
    idempotencyKey: randomUUID(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const leave = await enterCheckout();
  let result: PlaceOrderResult;
  let user: SessionUser;
  try {
    user = await requireRole(request, "employee");
    const parsed = CheckoutSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "")] ??= []).push(issue.message);
      return data({ fieldErrors, problems: [] as CheckoutProblem[] }, { status: 400 });
    }
    const input = parsed.data;
    result = await placeOrder({
      userId: user.id,
      idempotencyKey: input.idempotencyKey,
      lines: "cart",
      fulfilment:
        input.fulfilment === "delivery"
          ? { kind: "delivery", recipientName: input.recipientName!, recipientPhone: input.recipientPhone!, address: input.address! }
          : { kind: "group_pickup", groupOrderId: input.fulfilment.slice("group:".length) },
      paymentMethod: input.paymentMethod,
      cardPaymentConfigured: cardPaymentConfigured(),
      paymentTtlMinutes: config().orderPaymentTtlMinutes,
    });
  } finally {
    leave();
  }
  if (!result.ok) {
    // The buyer has now been told the new prices; the next submission accepts them.
    if (result.problems.some((p) => p.kind === "price_changed")) await acknowledgeCartPrices(user.id);
    return data({ fieldErrors: {} as Record<string, string[]>, problems: result.problems }, { status: 409 });
  }
  const orderPath = `/orders/${result.order.number}`;
  if (result.order.paymentMethod !== "card") return redirect(orderPath);
  const origin = config().appUrl;
  try {
    const session = await createCheckoutSessionForOrder(result.order.id, {
      successUrl: `${origin}${orderPath}?paid=1`,
      cancelUrl: `${origin}${orderPath}`,
    });
    return redirect(session.url);
  } catch (error) {
    console.error("Could not start Stripe Checkout:", error);
    return redirect(`${orderPath}?payment=failed`);
  }
}

function problemText(t: Translate, problem: CheckoutProblem, lines: CartLine[], locale: string) {
  const line = "skuId" in problem ? lines.find((l) => l.skuId === problem.skuId) : undefined;
  const name = line
    ? `${locale === "en" ? line.productNameEn : line.productNameZh} ${locale === "en" ? line.skuNameEn : line.skuNameZh}`
    : "";
  const key = `checkout.problems.${problem.kind}` as MessageKey;
  switch (problem.kind) {
    case "price_changed":
      return t(key, { name, from: formatFen(problem.expectedFen), to: formatFen(problem.currentFen) });
    case "over_limit":
      return t(key, { name, limit: problem.limit });
    case "sold_out":
      return t(key, { name, available: problem.available });
    default:
      return t(key, { name });
  }
}

export default function CheckoutPage() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const {
    lines,
    groupOrders,
    deliveryFeeFen: deliveryFee,
    cardConfigured,
    paymentMethods,
    idempotencyKey,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (lines.length === 0) {
    return (
      <div className="space-y-4">
        <PageHeader title={t("checkout.title")} />
        <p className="text-stone-600">
          {t("checkout.emptyCart")}{" "}
          <Link to="/" className="text-brand-700 underline">
            {t("nav.shop")}
          </Link>
        </p>
      </div>
    );
  }
  const subtotal = lines.reduce((sum, line) => sum + line.priceFen * line.quantity, 0);
  const errors = actionData?.fieldErrors ?? {};
  const methods = paymentMethods
    .filter((m): m is "card" | "alipay" | "wechat_pay" => ["card", "alipay", "wechat_pay"].includes(m))
    .map((m) => t(`checkout.methodNames.${m}`))
    .join(locale === "en" ? ", " : "、");
  return (
    <div className="space-y-6">
      <PageHeader title={t("checkout.title")} />
      {actionData?.problems.length ? (
        <ul role="alert" className="space-y-1 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {actionData.problems.map((problem, index) => (
            <li key={index}>{problemText(t, problem, lines, locale)}</li>
          ))}
        </ul>
      ) : null}
      <section aria-labelledby="items" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="items" className="font-semibold">
          {t("checkout.items")}
        </h2>
        <ul className="mt-2 divide-y divide-stone-100 text-sm">
          {lines.map((line) => (
            <li key={line.skuId} className="flex justify-between gap-4 py-2">
              <span>
                {locale === "en" ? line.productNameEn : line.productNameZh} · {locale === "en" ? line.skuNameEn : line.skuNameZh} ×{" "}
                {line.quantity}
              </span>
              <span>{formatFen(line.priceFen * line.quantity)}</span>
            </li>
          ))}
        </ul>
        <p className="mt-2 flex justify-between border-t border-stone-200 pt-2 font-semibold">
          <span>{t("checkout.subtotal")}</span>
          <span>{formatFen(subtotal)}</span>
        </p>
      </section>

      <Form method="post" className="space-y-6">
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <fieldset className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <legend className="px-1 font-semibold">{t("checkout.fulfilment")}</legend>
          {groupOrders.length === 0 ? <p className="text-sm text-stone-600">{t("checkout.noGroupForUnit")}</p> : null}
          {groupOrders.map((group, index) => (
            <label key={group.id} className="flex gap-3">
              <input type="radio" name="fulfilment" value={`group:${group.id}`} defaultChecked={index === 0} className="mt-1" />
              <span>
                <span className="font-medium">{t("checkout.joinGroup", { title: group.title })}</span>
                <span className="block text-sm text-stone-600">
                  {t("checkout.groupDetails", {
                    place: group.pickupPoint,
                    date: formatDate(group.deliveryDate, tag),
                    closes: formatDateTime(group.closesAt, tag),
                  })}
                </span>
              </span>
            </label>
          ))}
          <label className="flex gap-3">
            <input type="radio" name="fulfilment" value="delivery" defaultChecked={groupOrders.length === 0} className="mt-1" />
            <span className="font-medium">{t("checkout.delivery", { fee: formatFen(deliveryFee) })}</span>
          </label>
          <div className="grid gap-3 pl-7 sm:grid-cols-2">
            <Field
              label={t("checkout.recipientName")}
              errors={errors.recipientName}
              inputProps={{ name: "recipientName", autoComplete: "name" }}
            />
            <Field
              label={t("checkout.recipientPhone")}
              errors={errors.recipientPhone}
              inputProps={{ name: "recipientPhone", autoComplete: "tel", inputMode: "tel" }}
            />
            <div className="sm:col-span-2">
              <Field
                label={t("checkout.address")}
                errors={errors.address}
                inputProps={{ name: "address", autoComplete: "street-address" }}
              />
            </div>
          </div>
          {errors.fulfilment ? <p className="text-sm text-red-700">{t(errors.fulfilment[0] as MessageKey)}</p> : null}
        </fieldset>

        <fieldset className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <legend className="px-1 font-semibold">{t("checkout.payment")}</legend>
          <label className="flex gap-3">
            <input
              type="radio"
              name="paymentMethod"
              value="unit_settlement"
              defaultChecked={!cardConfigured || groupOrders.length > 0}
              className="mt-1"
            />
            <span>{t("checkout.payUnit")}</span>
          </label>
          <label className={`flex gap-3 ${cardConfigured ? "" : "text-stone-400"}`}>
            <input
              type="radio"
              name="paymentMethod"
              value="card"
              disabled={!cardConfigured}
              defaultChecked={cardConfigured && groupOrders.length === 0}
              className="mt-1"
            />
            <span>
              {t("checkout.payCard", { methods })}
              {cardConfigured ? null : <span className="block text-sm">{t("checkout.cardNotConfigured")}</span>}
            </span>
          </label>
          {errors.paymentMethod ? <p className="text-sm text-red-700">{t(errors.paymentMethod[0] as MessageKey)}</p> : null}
        </fieldset>
        <SubmitButton label={t("checkout.placeOrder")} pendingLabel={t("checkout.placing")} />
      </Form>
    </div>
  );
}
