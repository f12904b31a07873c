import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { Field, SelectField } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { producerOfVillage, withinVillage } from "~/domain/cooperative/scope.server";
import { formatFen, yuanField } from "~/domain/money";
import { householdBalance, listPayouts, PayoutError, recordPayout } from "~/domain/cooperative/payouts.server";
import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";
import { parsePageQuery } from "~/utils/search-params";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const { page } = parsePageQuery(request);
  const household = await withinVillage(producerOfVillage(user, params.householdId ?? ""));
  const [balanceFen, payouts] = await Promise.all([householdBalance(undefined, household.id), listPayouts(household.id, { page })]);
  return { household, balanceFen, ...payouts, page, pages: Math.max(1, Math.ceil(payouts.total / 20)), payoutKey: crypto.randomUUID() };
}

const PayoutForm = z.object({
  amount: yuanField("cooperative.errors.amount"),
  method: z.enum(["cash", "bank_transfer"]),
  reference: z.string().trim().min(1, "cooperative.errors.reference").max(100, "cooperative.errors.reference"),
  paidOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "cooperative.errors.date")
    .transform((d) => new Date(`${d}T00:00:00Z`)),
  idempotencyKey: z.string().min(8).max(100),
  confirm: z.literal("yes", { error: "cooperative.errors.confirm" }),
});

type Answer = { ok: boolean; errors?: Record<string, MessageKey[]>; message?: MessageKey; params?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const parsed = PayoutForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const errors: Record<string, MessageKey[]> = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? "form")] ??= []).push(issue.message as MessageKey);
    return data<Answer>({ ok: false, errors }, { status: 422 });
  }
  const { amount, ...rest } = parsed.data;
  try {
    const result = await withinVillage(recordPayout({ householdId: params.householdId ?? "", amountFen: amount, ...rest, actor: user }));
    return data<Answer>({ ok: true, message: "cooperative.payouts.done", params: { amount: formatFen(result.balanceAfterFen) } });
  } catch (error) {
    if (!(error instanceof PayoutError)) throw error;
    if (error.reason === "over_balance") {
      return data<Answer>(
        { ok: false, errors: { amount: ["cooperative.errors.overBalance"] }, params: { amount: formatFen(error.balanceFen ?? 0) } },
        { status: 409 },
      );
    }
    return data<Answer>(
      { ok: false, errors: { form: [error.reason === "key_reused" ? "cooperative.errors.keyReused" : "cooperative.errors.amount"] } },
      { status: 409 },
    );
  }
}

export default function CoopPayout() {
  const t = useT();
  const { household, balanceFen, rows, page, pages, payoutKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? (result.errors ?? {}) : {};
  const tr = (keys?: MessageKey[]) => keys?.map((k) => t(k, result?.params));
  return (
    <div className="space-y-6">
      <PageHeader
        title={`${household.code} ${household.displayName ?? ""}`}
        body={t("cooperative.payouts.balance", { amount: formatFen(balanceFen) })}
      >
        <Link to="/coop/payouts" className="text-sm text-brand-700 underline">
          {t("cooperative.payouts.title")}
        </Link>
      </PageHeader>
      {result?.ok && result.message ? (
        <p role="status" className="rounded-md bg-green-50 p-3 text-green-800">
          {t(result.message, result.params)}
        </p>
      ) : null}
      {tr(errors.form)?.map((m) => (
        <p key={m} role="alert" className="text-red-700">
          {m}
        </p>
      ))}
      <Form method="post" className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2">
        <input type="hidden" name="idempotencyKey" value={payoutKey} />
        <Field
          label={t("cooperative.payouts.amount")}
          errors={tr(errors.amount)}
          inputProps={{ name: "amount", inputMode: "decimal", required: true }}
        />
        <SelectField label={t("cooperative.payouts.method")} errors={tr(errors.method)} selectProps={{ name: "method" }}>
          <option value="cash">{t("cooperative.payouts.methods.cash")}</option>
          <option value="bank_transfer">{t("cooperative.payouts.methods.bank_transfer")}</option>
        </SelectField>
        <Field
          label={t("cooperative.payouts.reference")}
          errors={tr(errors.reference)}
          inputProps={{ name: "reference", required: true, maxLength: 100 }}
        />
        <Field
          label={t("cooperative.payouts.paidOn")}
          errors={tr(errors.paidOn)}
          inputProps={{ name: "paidOn", type: "date", required: true }}
        />
        <label className="text-sm sm:col-span-2">
          <input type="checkbox" name="confirm" value="yes" /> {t("cooperative.refund.confirm")}
          {tr(errors.confirm)?.map((m) => (
            <span key={m} role="alert" className="ml-2 text-red-700">
              {m}
            </span>
          ))}
        </label>
        <div className="sm:col-span-2">
          <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-white">
            {t("cooperative.payouts.submit")}
          </button>
        </div>
      </Form>
      {rows.length === 0 ? (
        <p className="text-stone-600">{t("cooperative.payouts.empty")}</p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {rows.map((p) => (
            <li key={p.id} className="flex gap-4 p-3">
              <span>{isoDay(p.paidOn)}</span>
              <span>{t(`cooperative.payouts.methods.${p.method}`)}</span>
              <span>{p.reference}</span>
              <span className="ml-auto">{formatFen(p.amountFen)}</span>
              <Link to={`/coop/receipts/${p.id}`} className="text-brand-700 underline">
                {t("receipts.link")}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
