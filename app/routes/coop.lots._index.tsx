import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { Field, FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { withinVillage } from "~/domain/cooperative/scope.server";
import {
  cooperativeSkus,
  listLots,
  ReceiveLotSchema,
  receiveLot,
  searchProducers,
  WriteOffError,
  writeOffLot,
  WriteOffSchema,
} from "~/domain/cooperative/lots.server";
import type { MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";
import { parsePageQuery } from "~/utils/search-params";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const { q, page } = parsePageQuery(request);
  const [lots, skus, producers] = await withinVillage(
    Promise.all([listLots(user, { page }), cooperativeSkus(user), searchProducers(user, q)]),
  );
  // One key per page view for each form on it; after a submission the page is loaded again with fresh keys.
  return { q, ...lots, skus, producers, formKey: randomUUID() };
}

type Errors = Record<string, MessageKey[] | undefined>;
type ActionAnswer = { intent: string; ok: boolean; errors?: Errors; message?: MessageKey; params?: Record<string, string | number> };

function fieldErrors(issues: { path: PropertyKey[]; message: string }[]): Errors {
  const errors: Errors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    (errors[field] ??= []).push(issue.message as MessageKey);
  }
  return errors;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "receive") {
    const parsed = ReceiveLotSchema.safeParse(form);
    if (!parsed.success)
      return data<ActionAnswer>({ intent: "receive", ok: false, errors: fieldErrors(parsed.error.issues) }, { status: 422 });
    const result = await withinVillage(receiveLot(user, parsed.data));
    if (!result.ok)
      return data<ActionAnswer>({ intent: "receive", ok: false, errors: { [result.field]: [result.message] } }, { status: 422 });
    return data<ActionAnswer>({ intent: "receive", ok: true, message: "cooperative.lots.received", params: { code: result.lot.code } });
  }
  if (form.intent === "writeOff") {
    const parsed = WriteOffSchema.safeParse(form);
    if (!parsed.success)
      return data<ActionAnswer>(
        { intent: `writeOff:${String(form.lotId)}`, ok: false, errors: fieldErrors(parsed.error.issues) },
        { status: 422 },
      );
    if (form.confirm !== "yes")
      return data<ActionAnswer>(
        { intent: `writeOff:${parsed.data.lotId}`, ok: false, errors: { confirm: ["cooperative.errors.confirm"] } },
        { status: 422 },
      );
    try {
      await withinVillage(writeOffLot(user, parsed.data));
    } catch (error) {
      if (!(error instanceof WriteOffError)) throw error;
      return data<ActionAnswer>(
        {
          intent: `writeOff:${parsed.data.lotId}`,
          ok: false,
          errors: { quantity: ["cooperative.errors.writeOffTooMany"] },
          params: { count: error.available },
        },
        { status: 409 },
      );
    }
    return data<ActionAnswer>({ intent: `writeOff:${parsed.data.lotId}`, ok: true, message: "cooperative.lots.writeOffDone" });
  }
  return data<ActionAnswer>({ intent: "", ok: false }, { status: 400 });
}

export default function CoopLots() {
  const t = useT();
  const locale = useLocale();
  const { q, lots, page, pages, skus, producers, formKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorsFor = (intent: string) => (result && !result.ok && result.intent === intent ? (result.errors ?? {}) : {});
  const translate = (keys?: MessageKey[]) => keys?.map((key) => t(key, result?.params));
  const receiveErrors = errorsFor("receive");
  return (
    <div className="space-y-6">
      <PageHeader title={t("cooperative.lots.title")} />
      {result?.ok && result.message ? (
        <p role="status" className="rounded-md bg-green-50 p-3 text-green-800">
          {t(result.message, result.params)}
        </p>
      ) : null}
      <section className="space-y-3 rounded-lg border border-stone-200 bg-white p-4">
        <h2 className="text-lg font-medium">{t("cooperative.lots.receive")}</h2>
        <Form method="get" role="search" className="flex gap-2">
          <input
            type="search"
            name="q"
            defaultValue={q}
            aria-label={t("cooperative.lots.household")}
            placeholder={t("cooperative.lots.household")}
            className="w-full max-w-xs rounded-md border border-stone-300 px-3 py-2"
          />
          <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2">
            {t("common.search")}
          </button>
        </Form>
        <Form method="post" className="grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="receive" />
          <input type="hidden" name="idempotencyKey" value={formKey} />
          <SelectField
            label={t("cooperative.lots.sku")}
            errors={translate(receiveErrors.skuId)}
            selectProps={{ name: "skuId", required: true }}
          >
            {skus.map((s) => (
              <option
                key={s.id}
                value={s.id}
              >{`${locale === "en" ? s.product.nameEn : s.product.nameZh} ${locale === "en" ? s.nameEn : s.nameZh} (${s.code})`}</option>
            ))}
          </SelectField>
          <SelectField
            label={t("cooperative.lots.household")}
            errors={translate(receiveErrors.householdId)}
            selectProps={{ name: "householdId", required: true }}
          >
            {producers.map((h) => (
              <option key={h.id} value={h.id}>
                {h.displayName ? `${h.code} ${h.displayName}` : h.code}
              </option>
            ))}
          </SelectField>
          <Field
            label={t("cooperative.lots.quantity")}
            errors={translate(receiveErrors.quantity)}
            inputProps={{ name: "quantity", type: "number", min: 1, step: 1, required: true }}
          />
          <Field
            label={t("cooperative.lots.producedOn")}
            errors={translate(receiveErrors.producedOn)}
            inputProps={{ name: "producedOn", type: "date", required: true }}
          />
          <Field
            label={t("cooperative.lots.receivedOn")}
            errors={translate(receiveErrors.receivedOn)}
            inputProps={{ name: "receivedOn", type: "date", required: true }}
          />
          <Field
            label={t("cooperative.lots.bestBefore")}
            errors={translate(receiveErrors.bestBefore)}
            inputProps={{ name: "bestBefore", type: "date", required: true }}
          />
          <Field
            label={t("cooperative.lots.notes")}
            errors={translate(receiveErrors.notes)}
            inputProps={{ name: "notes", maxLength: 500 }}
          />
          <div className="space-y-2 sm:col-span-2">
            <FormAlert errors={translate(receiveErrors.idempotencyKey)} />
            <SubmitButton label={t("cooperative.lots.submit")} pendingLabel={t("common.saving")} />
          </div>
        </Form>
      </section>
      {lots.length === 0 ? (
        <p className="text-stone-600">{t("cooperative.lots.empty")}</p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {lots.map((lot) => {
            const errors = errorsFor(`writeOff:${lot.id}`);
            return (
              <li key={lot.id} className="space-y-2 p-3">
                <p className="flex flex-wrap gap-x-4">
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
                    t("cooperative.lots.remaining", { count: lot.remaining }),
                    t("cooperative.lots.reserved", { count: lot.reserved }),
                    t("cooperative.lots.sold", { count: lot.sold }),
                    t("cooperative.lots.writtenOff", { count: lot.quantityWrittenOff }),
                  ].join(" · ")}
                </p>
                {lot.remaining > 0 ? (
                  <Form method="post" className="flex flex-wrap items-center gap-2 text-sm">
                    <input type="hidden" name="intent" value="writeOff" />
                    <input type="hidden" name="lotId" value={lot.id} />
                    <input type="hidden" name="idempotencyKey" value={formKey} />
                    <input
                      name="quantity"
                      type="number"
                      min={1}
                      max={lot.remaining}
                      step={1}
                      required
                      aria-label={t("cooperative.lots.writeOffQuantity")}
                      className="w-20 rounded-md border border-stone-300 px-2 py-1"
                    />
                    <input
                      name="reason"
                      required
                      aria-label={t("cooperative.lots.writeOffReason")}
                      placeholder={t("cooperative.lots.writeOffReason")}
                      className="rounded-md border border-stone-300 px-2 py-1"
                    />
                    <label>
                      <input type="checkbox" name="confirm" value="yes" required /> {t("cooperative.refund.confirm")}
                    </label>
                    <button type="submit" className="rounded-md border border-red-300 px-3 py-1 text-red-700">
                      {t("cooperative.lots.writeOff")}
                    </button>
                    {Object.values(errors)
                      .flat()
                      .map((key) => (
                        <span key={key} role="alert" className="text-red-700">
                          {key ? t(key, result?.params) : null}
                        </span>
                      ))}
                  </Form>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
