import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DoneNote, ErrorList, Field, FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { householdPayouts, recordPayout } from "~/domain/cooperative/payouts.server";
import { PayoutSchema } from "~/domain/cooperative/schemas";
import { formatFen } from "~/domain/money";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { useT } from "~/i18n/react";
import { isoDay, shopDateOf } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";

export const meta = pageTitle<typeof loader>((t, data) =>
  data ? `${data.household.code} · ${t("cooperative.payouts.title")}` : t("cooperative.payouts.title"),
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const { page } = parsePageQuery(request);
  const payouts = await householdPayouts(user, params.householdId ?? "", { page });
  // A fresh key per page view: the same form sent twice records one payout.
  return { ...payouts, today: shopDateOf(new Date()), payoutKey: crypto.randomUUID() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const submission = await parseForm(request, PayoutSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const { amount, method, reference, paidOn, idempotencyKey } = submission.value;
  return runCommand(submission, async () => {
    const payout = await recordPayout({
      householdId: params.householdId ?? "",
      amountFen: amount,
      method,
      reference,
      paidOn,
      idempotencyKey,
      actor: user,
    });
    return done(submission, "cooperative.payouts.done", { amount: formatFen(payout.balanceAfterFen) });
  });
}

export default function CoopPayout() {
  const t = useT();
  const { household, balanceFen, payouts, page, pages, today, payoutKey } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader
        title={household.displayName ? `${household.code} ${household.displayName}` : household.code}
        body={t("cooperative.payouts.balance", { amount: formatFen(balanceFen) })}
      >
        <Link to="/coop/payouts" className="text-sm text-brand-700 underline">
          {t("cooperative.payouts.title")}
        </Link>
      </PageHeader>
      <PayoutForm today={today} idempotencyKey={payoutKey} />
      {payouts.length === 0 ? (
        <p className="text-stone-600">{t("cooperative.payouts.empty")}</p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {payouts.map((p) => (
            <li key={p.id} className="grid grid-cols-[1fr_auto] gap-x-4 p-3 sm:flex sm:items-baseline">
              <span>{isoDay(p.paidOn)}</span>
              <span className="text-right sm:order-last sm:ml-auto">{formatFen(p.amountFen)}</span>
              <span className="text-sm text-stone-600 sm:text-base sm:text-stone-900">{t(`payoutMethods.${p.method}`)}</span>
              <span className="break-all text-right text-sm text-stone-600 sm:text-left">{p.reference}</span>
              <Link to={`/coop/receipts/${p.id}`} className="text-sm text-brand-700 underline sm:order-last">
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

/** The payout form: checked as fields are left, confirmed by a tick, never more than the balance (the server says so). */
function PayoutForm({ today, idempotencyKey }: { today: string; idempotencyKey: string }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>();
  const [form, fields] = useForm({
    id: "payout",
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    defaultValue: { method: "cash", paidOn: today },
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/schemas").then((m) => m.PayoutSchema)),
  });
  return (
    <fetcher.Form
      method="post"
      {...getFormProps(form)}
      className="grid grid-cols-1 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2"
    >
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="space-y-2 sm:col-span-2">
        <FormAlert errors={form.errors} />
        <FormAlert errors={fields.idempotencyKey.errors} />
        <DoneNote message={fetcher.state === "idle" ? fetcher.data?.done : null} />
      </div>
      <Field
        label={t("cooperative.payouts.amount")}
        errors={fields.amount.errors}
        inputProps={{ ...getInputProps(fields.amount, { type: "text" }), inputMode: "decimal" }}
      />
      <SelectField label={t("cooperative.payouts.method")} errors={fields.method.errors} selectProps={getSelectProps(fields.method)}>
        <option value="cash">{t("payoutMethods.cash")}</option>
        <option value="bank_transfer">{t("payoutMethods.bank_transfer")}</option>
      </SelectField>
      <Field
        label={t("cooperative.payouts.reference")}
        errors={fields.reference.errors}
        inputProps={getInputProps(fields.reference, { type: "text" })}
      />
      <Field
        label={t("cooperative.payouts.paidOn")}
        errors={fields.paidOn.errors}
        inputProps={getInputProps(fields.paidOn, { type: "date" })}
      />
      <div className="sm:col-span-2">
        <label className="flex items-start gap-2 text-sm">
          <input {...getInputProps(fields.confirm, { type: "checkbox", value: "yes" })} className="mt-1" />{" "}
          {t("cooperative.refund.confirm")}
        </label>
        <ErrorList id={fields.confirm.errorId} errors={fields.confirm.errors} />
      </div>
      <div className="sm:col-span-2 sm:w-48">
        <SubmitButton
          label={t("cooperative.payouts.submit")}
          pendingLabel={t("cooperative.payouts.pending")}
          pending={fetcher.state !== "idle"}
        />
      </div>
    </fetcher.Form>
  );
}
