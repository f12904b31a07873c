import { randomUUID } from "node:crypto";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { requireRole } from "~/auth/guards.server";
import { usePaymentList } from "~/components/payment-list";
import { ErrorList, Field, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { config } from "~/config.server";
import { formatFen } from "~/domain/money";
import { cardPaymentConfigured, startCardPayment } from "~/domain/payments/stripe.server";
import {
  acceptedPayments,
  groupFulfilment,
  paymentRefusal,
  PAYMENTS,
  wayRefusal,
  type Payment,
  type Way,
} from "~/domain/shop/checkout-options";
import { CheckoutSchema } from "~/domain/shop/checkout-schema";
import { checkoutPage, placeOrder } from "~/domain/shop/checkout.server";
import { languageTag, messageRef, parseMessageRef } from "~/i18n/i18n";
import { useLocale, useT, useTranslateRef } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { handedOverCheckout } from "~/utils/checkout-post.server";
import { limitRequest } from "~/utils/rate-limit.server";

export const meta = pageTitle("checkout.title");

const ONLINE_METHODS = ["card", "alipay", "wechat_pay"] as const;
type OnlineMethod = (typeof ONLINE_METHODS)[number];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "employee");
  return {
    ...(await checkoutPage(user)),
    cardConfigured: cardPaymentConfigured(),
    onlineMethods: config().stripe.paymentMethods.filter((m): m is OnlineMethod => (ONLINE_METHODS as readonly string[]).includes(m)),
    idempotencyKey: randomUUID(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // The thin checkout POST in front of Remix ran this action already and hands over only what Remix must answer.
  const handedOver = handedOverCheckout(context);
  if (handedOver) {
    if ("thrown" in handedOver) throw handedOver.thrown;
    return handedOver.value as ReturnType<typeof redirect> | ReturnType<typeof invalid>;
  }
  const user = await requireRole(request, "employee");
  await limitRequest("checkout", user.id);
  const submission = await parseForm(request, CheckoutSchema);
  if (submission.status !== "success") return invalid(submission);
  const input = submission.value;
  // Sold out, a price changed since the cart showed it, a limit: 409 with every problem, the cart kept as it is.
  return runCommand(submission, async () => {
    const { order } = await placeOrder({
      userId: user.id,
      idempotencyKey: input.idempotencyKey,
      lines: "cart",
      fulfilment: input.fulfilment,
      paymentMethod: input.paymentMethod,
      cardPaymentConfigured: cardPaymentConfigured(),
      paymentTtlMinutes: config().orderPaymentTtlMinutes,
    });
    return redirect(order.paymentMethod === "card" ? await startCardPayment(order) : `/orders/${order.number}`);
  });
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
type Choice = { value: string; way: Way; refusal: string | null };

/** Each way of getting the order, with why it cannot be chosen (if it cannot): what the radios offer. */
function choicesOf({ groupOrders, cardConfigured }: PageData, names: (items: { nameZh: string; nameEn: string }[]) => string): Choice[] {
  const groups = groupOrders.map((group): Choice => {
    const way: Way = { kind: "group", allowCard: group.allowCard, allowUnitSettlement: group.allowUnitSettlement };
    const notOffered = group.notOffered.length ? messageRef("checkout.refusals.notOffered", { names: names(group.notOffered) }) : null;
    return { value: groupFulfilment(group.id), way, refusal: notOffered ?? wayRefusal(way, cardConfigured) };
  });
  const delivery: Way = { kind: "delivery" };
  return [...groups, { value: "delivery", way: delivery, refusal: wayRefusal(delivery, cardConfigured) }];
}

/** A checkout refusal in words, with the product's name for the problems about one SKU and prices as money. */
function useProblemText(lines: PageData["lines"]) {
  const t = useT();
  const locale = useLocale();
  return (ref: string) => {
    const { key, params = {} } = parseMessageRef(ref);
    const line = lines.find((l) => l.skuId === params.skuId);
    const name = line ? (locale === "en" ? line.nameEn : line.nameZh) : "";
    const money = (fen: string | number | undefined) => formatFen(Number(fen ?? 0));
    return t(key, { ...params, name, from: money(params.expectedFen), to: money(params.currentFen) });
  };
}

export default function CheckoutPage() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const data = useLoaderData<typeof loader>();
  const { lines, groupOrders, deliveryFeeFen, cardConfigured, onlineMethods, idempotencyKey, hasUnit } = data;
  const actionData = useActionData<FormAnswer>();
  const translate = useTranslateRef();
  const problemText = useProblemText(lines);
  const payments = usePaymentList();
  const separator = locale === "en" ? ", " : "、";
  const choices = choicesOf(data, (items) => items.map((item) => (locale === "en" ? item.nameEn : item.nameZh)).join(separator));
  const firstOpen = choices.find((choice) => !choice.refusal);
  const [fulfilment, setFulfilment] = useState(firstOpen?.value);
  const chosen = choices.find((choice) => choice.value === fulfilment && !choice.refusal) ?? firstOpen;
  const [payment, setPayment] = useState<Payment | undefined>(chosen ? acceptedPayments(chosen.way, cardConfigured)[0] : undefined);
  const [form, fields] = useForm({
    id: "checkout",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/shop/checkout-schema").then((m) => m.CheckoutSchema)),
  });

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

  /** A way chosen: keep the payment if it still fits, else take the first that does. */
  const choose = (choice: Choice) => {
    setFulfilment(choice.value);
    const fits = acceptedPayments(choice.way, cardConfigured);
    if (!payment || !fits.includes(payment)) setPayment(fits[0]);
  };
  const subtotal = lines.reduce((sum, line) => sum + line.priceFen * line.quantity, 0);
  const methods = onlineMethods.map((m) => t(`checkout.methodNames.${m}`)).join(separator);
  const paymentLabel = (p: Payment) => (p === "card" ? t("checkout.payCard", { methods }) : t("checkout.payUnit"));
  const wayLabel = (choice: Choice) => {
    const group = groupOrders.find((g) => groupFulfilment(g.id) === choice.value);
    return group ? t("checkout.joinGroup", { title: group.title }) : t("checkout.delivery", { fee: formatFen(deliveryFeeFen) });
  };
  const wayDetails = (choice: Choice) => {
    const group = groupOrders.find((g) => groupFulfilment(g.id) === choice.value);
    return group
      ? t("checkout.groupDetails", {
          place: group.pickupPoint,
          date: formatDate(group.deliveryDate, tag),
          closes: formatDateTime(group.closesAt, tag),
        })
      : null;
  };
  const deliveryOpen = choices.some((choice) => choice.value === "delivery" && !choice.refusal);

  return (
    <div className="space-y-6">
      <PageHeader title={t("checkout.title")} />
      {form.errors?.length ? (
        <ul role="alert" className="space-y-1 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {form.errors.map((error) => (
            <li key={error}>{problemText(error)}</li>
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
                {locale === "en" ? line.nameEn : line.nameZh} × {line.quantity}
              </span>
              <span className="whitespace-nowrap">{formatFen(line.priceFen * line.quantity)}</span>
            </li>
          ))}
        </ul>
        <p className="mt-2 flex justify-between border-t border-stone-200 pt-2 font-semibold">
          <span>{t("checkout.subtotal")}</span>
          <span>{formatFen(subtotal)}</span>
        </p>
      </section>

      <Form method="post" {...getFormProps(form)} className="space-y-6">
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <ErrorList errors={fields.idempotencyKey.errors} />
        <fieldset className="group space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <legend className="px-1 font-semibold">{t("checkout.fulfilment")}</legend>
          {hasUnit && groupOrders.length === 0 ? <p className="text-sm text-stone-600">{t("checkout.noGroupForUnit")}</p> : null}
          {choices.map((choice) => {
            const id = `fulfilment-${choice.value.replace(":", "-")}`;
            const details = wayDetails(choice);
            return (
              <div key={choice.value} className={`flex gap-3 ${choice.refusal ? "text-stone-500" : ""}`}>
                <input
                  type="radio"
                  id={id}
                  name={fields.fulfilment.name}
                  value={choice.value}
                  checked={chosen?.value === choice.value}
                  disabled={choice.refusal !== null}
                  onChange={() => choose(choice)}
                  aria-describedby={`${id}-terms`}
                  className="mt-1"
                />
                <div>
                  <label htmlFor={id} className="font-medium">
                    {wayLabel(choice)}
                  </label>
                  <p id={`${id}-terms`} className="text-sm">
                    {details ? <span className="block text-stone-600">{details}</span> : null}
                    {choice.refusal ? (
                      <span className="block text-amber-800">{translate(choice.refusal)}</span>
                    ) : (
                      <span className="block text-stone-600">
                        {t("checkout.takes", { payments: payments(acceptedPayments(choice.way, cardConfigured)) })}
                      </span>
                    )}
                  </p>
                </div>
              </div>
            );
          })}
          {deliveryOpen ? (
            // Shown while home delivery is checked; CSS decides, so it works before (and without) JavaScript.
            <div className="hidden gap-3 pl-7 group-has-[input[value=delivery]:checked]:grid sm:grid-cols-2">
              <Field
                label={t("checkout.recipientName")}
                errors={fields.recipientName.errors}
                inputProps={{ ...getInputProps(fields.recipientName, { type: "text" }), autoComplete: "name" }}
              />
              <Field
                label={t("checkout.recipientPhone")}
                errors={fields.recipientPhone.errors}
                inputProps={{ ...getInputProps(fields.recipientPhone, { type: "tel" }), autoComplete: "tel", inputMode: "tel" }}
              />
              <div className="sm:col-span-2">
                <Field
                  label={t("checkout.address")}
                  errors={fields.address.errors}
                  inputProps={{ ...getInputProps(fields.address, { type: "text" }), autoComplete: "street-address" }}
                />
              </div>
            </div>
          ) : null}
          <ErrorList id={fields.fulfilment.errorId} errors={fields.fulfilment.errors} />
          {firstOpen ? null : <p className="text-sm text-amber-800">{t("checkout.noWay")}</p>}
        </fieldset>

        <fieldset className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
          <legend className="px-1 font-semibold">{t("checkout.payment")}</legend>
          {PAYMENTS.map((p) => {
            const refusal = chosen ? paymentRefusal(chosen.way, p, cardConfigured) : null;
            const id = `payment-${p}`;
            return (
              <div key={p} className={`flex gap-3 ${refusal ? "text-stone-500" : ""}`}>
                <input
                  type="radio"
                  id={id}
                  name={fields.paymentMethod.name}
                  value={p}
                  checked={payment === p && !refusal}
                  disabled={!chosen || refusal !== null}
                  onChange={() => setPayment(p)}
                  aria-describedby={refusal ? `${id}-refusal` : undefined}
                  className="mt-1"
                />
                <div>
                  <label htmlFor={id}>{paymentLabel(p)}</label>
                  {refusal ? (
                    <p id={`${id}-refusal`} className="text-sm text-amber-800">
                      {t(refusal)}
                    </p>
                  ) : null}
                </div>
              </div>
            );
          })}
          <ErrorList id={fields.paymentMethod.errorId} errors={fields.paymentMethod.errors} />
        </fieldset>
        {firstOpen ? <SubmitButton label={t("checkout.placeOrder")} pendingLabel={t("checkout.placing")} /> : null}
      </Form>
    </div>
  );
}
