import { randomUUID } from "node:crypto";
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DoneNote, ErrorList, Field, FormAlert, SearchForm, SelectField, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { FetcherOutcome } from "~/components/row-action";
import { cooperativeSkus, listLots, receiveLot, searchProducers, writeOffLot } from "~/domain/cooperative/lots.server";
import { LotActionSchema } from "~/domain/cooperative/schemas";
import { useLocale, useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle("cooperative.lots.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const { q, page } = parsePageQuery(request);
  const [{ lots, pages }, skus, producers] = await Promise.all([listLots(user, { page }), cooperativeSkus(user), searchProducers(user, q)]);
  // One key per page view for each form on it; after a submission the page is loaded again with fresh keys.
  return { q, lots, page, pages, skus, producers, formKey: randomUUID() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const submission = await parseForm(request, LotActionSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const input = submission.value;
  return runCommand(submission, async () => {
    if (input.intent === "receive") {
      const { lot } = await receiveLot(user, input);
      return done(submission, "cooperative.lots.received", { code: lot.code });
    }
    const written = await writeOffLot(user, input);
    return done(submission, "cooperative.lots.writeOffDone", { count: written.quantity });
  });
}

type Data = SerializeFrom<typeof loader>;

export default function CoopLots() {
  const t = useT();
  const locale = useLocale();
  const { q, lots, page, pages, skus, producers, formKey } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("cooperative.lots.title")} />
      <section aria-labelledby="receive-title" className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="receive-title" className="text-lg font-medium">
          {t("cooperative.lots.receive")}
        </h2>
        <SearchForm label={t("cooperative.lots.household")} defaultValue={q} />
        <ReceiveForm skus={skus} producers={producers} formKey={formKey} />
      </section>
      {lots.length === 0 ? (
        <p className="text-stone-600">{t("cooperative.lots.empty")}</p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {lots.map((lot) => (
            <li key={lot.id} className="space-y-2 p-3">
              <p className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
                <span className="font-mono font-medium">{lot.code}</span>
                <span>{locale === "en" ? lot.skuNameEn : lot.skuNameZh}</span>
                <span>{lot.householdDisplayName ? `${lot.householdCode} ${lot.householdDisplayName}` : lot.householdCode}</span>
                <span className="text-sm text-stone-600">{`${isoDay(lot.receivedOn)} → ${isoDay(lot.bestBefore)}`}</span>
                <Link to={`/coop/lots/${lot.id}/labels`} className="text-sm text-brand-700 underline">
                  {t("cooperative.labels.link")}
                </Link>
              </p>
              <p className="text-sm text-stone-700">
                {[
                  t("cooperative.lots.receivedCount", { count: lot.quantityReceived }),
                  t("cooperative.lots.remaining", { count: lot.remaining }),
                  t("cooperative.lots.reserved", { count: lot.reserved }),
                  t("cooperative.lots.sold", { count: lot.sold }),
                  t("cooperative.lots.writtenOff", { count: lot.quantityWrittenOff }),
                ].join(" · ")}
              </p>
              <FetcherOutcome fetcherKey={`write-off-${lot.id}`} withErrors={false} />
              {lot.remaining > 0 ? <WriteOffForm lot={lot} formKey={formKey} /> : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}

/** A lot received from a household: checked as fields are left, sent without holding up the rest of the page. */
function ReceiveForm({ skus, producers, formKey }: Pick<Data, "skus" | "producers" | "formKey">) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<FormAnswer>();
  const [form, fields] = useForm({
    id: "receive",
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/schemas").then((m) => m.ReceiveLotSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="grid grid-cols-1 gap-3 sm:grid-cols-2">
      <input type="hidden" name="intent" value="receive" />
      <input type="hidden" name="idempotencyKey" value={formKey} />
      <SelectField label={t("cooperative.lots.sku")} errors={fields.skuId.errors} selectProps={getSelectProps(fields.skuId)}>
        {skus.map((s) => (
          <option
            key={s.id}
            value={s.id}
          >{`${locale === "en" ? s.product.nameEn : s.product.nameZh} ${locale === "en" ? s.nameEn : s.nameZh} (${s.code})`}</option>
        ))}
      </SelectField>
      <SelectField
        label={t("cooperative.lots.household")}
        errors={fields.householdId.errors}
        selectProps={getSelectProps(fields.householdId)}
      >
        {producers.map((h) => (
          <option key={h.id} value={h.id}>
            {h.displayName ? `${h.code} ${h.displayName}` : h.code}
          </option>
        ))}
      </SelectField>
      <Field
        label={t("cooperative.lots.quantity")}
        errors={fields.quantity.errors}
        inputProps={{ ...getInputProps(fields.quantity, { type: "number" }), min: 1, step: 1, inputMode: "numeric" }}
      />
      <Field
        label={t("cooperative.lots.producedOn")}
        errors={fields.producedOn.errors}
        inputProps={getInputProps(fields.producedOn, { type: "date" })}
      />
      <Field
        label={t("cooperative.lots.receivedOn")}
        errors={fields.receivedOn.errors}
        inputProps={getInputProps(fields.receivedOn, { type: "date" })}
      />
      <Field
        label={t("cooperative.lots.bestBefore")}
        errors={fields.bestBefore.errors}
        inputProps={getInputProps(fields.bestBefore, { type: "date" })}
      />
      <Field label={t("cooperative.lots.notes")} errors={fields.notes.errors} inputProps={getInputProps(fields.notes, { type: "text" })} />
      <div className="space-y-2 sm:col-span-2">
        <FormAlert errors={form.errors} />
        <FormAlert errors={fields.idempotencyKey.errors} />
        <DoneNote message={fetcher.state === "idle" ? fetcher.data?.done : null} />
        <SubmitButton label={t("cooperative.lots.submit")} pendingLabel={t("common.saving")} pending={fetcher.state !== "idle"} />
      </div>
    </fetcher.Form>
  );
}

/** Units of one lot written off: its own fetcher, so each lot shows its own pending state and answer. */
function WriteOffForm({ lot, formKey }: { lot: Data["lots"][number]; formKey: string }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: `write-off-${lot.id}` });
  const [form, fields] = useForm({
    id: `write-off-${lot.id}`,
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/cooperative/schemas").then((m) => m.WriteOffSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="space-y-2 text-sm">
      <input type="hidden" name="intent" value="writeOff" />
      <input type="hidden" name="lotId" value={lot.id} />
      <input type="hidden" name="idempotencyKey" value={formKey} />
      <div className="flex flex-wrap items-center gap-2">
        <input
          {...getInputProps(fields.quantity, { type: "number" })}
          min={1}
          max={lot.remaining}
          step={1}
          inputMode="numeric"
          aria-label={t("cooperative.lots.writeOffQuantity")}
          placeholder={t("cooperative.lots.writeOffQuantity")}
          className="w-28 rounded-md border border-stone-300 px-2 py-1.5"
        />
        <input
          {...getInputProps(fields.reason, { type: "text" })}
          aria-label={t("cooperative.lots.writeOffReason")}
          placeholder={t("cooperative.lots.writeOffReason")}
          className="min-w-0 flex-1 rounded-md border border-stone-300 px-2 py-1.5 sm:max-w-xs"
        />
      </div>
      <label className="flex items-start gap-2">
        <input {...getInputProps(fields.confirm, { type: "checkbox", value: "yes" })} className="mt-1" /> {t("cooperative.refund.confirm")}
      </label>
      <ErrorList id={fields.quantity.errorId} errors={fields.quantity.errors} />
      <ErrorList id={fields.reason.errorId} errors={fields.reason.errors} />
      <ErrorList id={fields.confirm.errorId} errors={fields.confirm.errors} />
      <FormAlert errors={form.errors} />
      <SubmitButton
        label={t("cooperative.lots.writeOff")}
        pendingLabel={t("cooperative.lots.writeOffPending")}
        pending={fetcher.state !== "idle"}
        variant="secondary"
      />
    </fetcher.Form>
  );
}
