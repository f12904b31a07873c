import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { Field, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { acknowledgeAlert, listAlerts, runMonitoringChecks } from "~/domain/households/monitoring.server";
import { FIRST_FILE_YEAR } from "~/domain/households/kinds";
import { AcknowledgeSchema } from "~/domain/households/schema";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear, formatDateTime } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { ACKNOWLEDGE_CONSTRAINT } from "~/utils/form-constraints";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle("households.alerts.title");

const KINDS = ["below_threshold", "income_drop", "no_recent_sales", "risk_flag"] as const;

const AlertQuery = z.object({
  kind: z.enum(KINDS).optional().catch(undefined),
  acknowledged: z.literal("1").optional().catch(undefined),
  year: z.coerce.number().int().min(FIRST_FILE_YEAR).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const params = new URL(request.url).searchParams;
  const query = AlertQuery.parse({
    kind: params.get("kind") || undefined,
    acknowledged: params.get("acknowledged") ?? undefined,
    year: params.get("year") || undefined,
    page: params.get("page") ?? 1,
  });
  const thisYear = currentShopYear();
  const year = query.year && query.year <= thisYear ? query.year : thisYear;
  const run = await runMonitoringChecks(viewer, year);
  const list = await listAlerts(viewer, { kind: query.kind, acknowledged: query.acknowledged === "1", page: query.page });
  return {
    ...list,
    year,
    thisYear,
    checkedAt: run.checkedAt,
    kind: query.kind ?? "",
    acknowledged: query.acknowledged === "1",
    page: query.page,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = await parseForm(request, AcknowledgeSchema);
  if (submission.status !== "success") return invalid(submission);
  return runCommand(submission, async () => {
    await acknowledgeAlert(viewer, submission.value.alertId, submission.value.note);
    return done(submission, "households.done.alertAcknowledged");
  });
}

type Detail = Record<string, string | number | null>;

function AlertReason({ kind, detail }: { kind: (typeof KINDS)[number]; detail: Detail }) {
  const t = useT();
  const fen = (key: string) => formatFen(Number(detail[key] ?? 0));
  const percent = (bp: number) => (bp / 100).toFixed(2).replace(/\.?0+$/, "");
  switch (kind) {
    case "below_threshold":
      return (
        <>
          {t("households.alerts.reason.below_threshold", {
            year: detail.year ?? "",
            perCapita: fen("perCapitaFen"),
            threshold: fen("thresholdFen"),
            total: fen("totalFen"),
            members: detail.members ?? "",
          })}
        </>
      );
    case "income_drop":
      return (
        <>
          {t("households.alerts.reason.income_drop", {
            year: detail.year ?? "",
            current: fen("currentFen"),
            previous: fen("previousFen"),
            drop: percent(Number(detail.dropBp)),
            share: percent(Number(detail.shareBp)),
            until: detail.until ?? "",
          })}
        </>
      );
    case "no_recent_sales":
      return (
        <>
          {detail.lastSaleOn
            ? t("households.alerts.reason.no_recent_sales", { days: detail.days ?? "", date: detail.lastSaleOn })
            : t("households.alerts.reason.no_recent_sales_never", { days: detail.days ?? "" })}
        </>
      );
    case "risk_flag":
      return (
        <>
          {t("households.alerts.reason.risk_flag", {
            kind: t(`households.flagKinds.${detail.flagKind as "other"}`),
            note: detail.note ?? "",
            date: detail.flaggedOn ?? "",
          })}
        </>
      );
  }
}

export default function Alerts() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { alerts, total, pages, page, year, thisYear, checkedAt, kind, acknowledged } = useLoaderData<typeof loader>();
  const years = Array.from({ length: thisYear - FIRST_FILE_YEAR + 1 }, (_, i) => thisYear - i);
  return (
    <div className="space-y-6">
      <PageHeader title={t("households.alerts.title")} body={t("households.alerts.body", { year })}>
        <p className="text-sm text-stone-600">
          {t("households.alerts.checkedAt", { date: formatDateTime(checkedAt, tag) })} ·{" "}
          <Link to="/team/settings" className="text-brand-700 underline">
            {t("households.alerts.settings")}
          </Link>
        </p>
      </PageHeader>
      <Form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="block">
          {t("households.alerts.year")}
          <select name="year" defaultValue={year} className="mt-1 block rounded-md border border-stone-300 px-2 py-1.5">
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          {t("households.alerts.kind")}
          <select name="kind" defaultValue={kind} className="mt-1 block rounded-md border border-stone-300 px-2 py-1.5">
            <option value="">{t("households.alerts.allKinds")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`households.alerts.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 pb-2">
          <input type="checkbox" name="acknowledged" value="1" defaultChecked={acknowledged} /> {t("households.alerts.showAcknowledged")}
        </label>
        <button type="submit" className="rounded-md border border-stone-300 px-3 py-1.5">
          {t("households.alerts.filter")}
        </button>
      </Form>
      <p className="text-sm text-stone-600">{t("households.alerts.count", { count: total })}</p>
      {alerts.length === 0 ? (
        <p className="rounded-lg border border-stone-200 bg-white p-4 text-sm text-stone-600">{t("households.alerts.empty")}</p>
      ) : (
        <ul className="space-y-3">
          {alerts.map((alert) => (
            <li
              key={alert.id}
              className={`rounded-lg border bg-white p-4 text-sm ${alert.acknowledgedAt ? "border-stone-200 text-stone-600" : "border-amber-300"}`}
            >
              <p className="flex flex-wrap items-baseline gap-x-3">
                <Link to={`/team/households/${alert.household.id}`} className="font-medium text-brand-700 underline">
                  {alert.household.code} {alert.household.headName}
                </Link>
                <span className="font-medium">{t(`households.alerts.kinds.${alert.kind}`)}</span>
              </p>
              <p className="mt-1 break-words">
                <AlertReason kind={alert.kind} detail={alert.detail as Detail} />
              </p>
              {alert.acknowledgedAt ? (
                <p className="mt-2 break-words text-stone-600">
                  {t("households.alerts.acknowledgedBy", {
                    name: alert.acknowledgedBy ?? "—",
                    date: formatDateTime(alert.acknowledgedAt, tag),
                    note: alert.acknowledgeNote ?? "",
                  })}
                </p>
              ) : (
                <AcknowledgeForm alertId={alert.id} />
              )}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}

/** Acknowledges one alert with a note, through its own fetcher: the other alerts' forms stay usable meanwhile. */
function AcknowledgeForm({ alertId }: { alertId: string }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>();
  const [form, fields] = useForm({
    id: `acknowledge-${alertId}`,
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    constraint: ACKNOWLEDGE_CONSTRAINT,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/households/schema").then((m) => m.AcknowledgeSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="mt-3 flex flex-wrap items-start gap-3">
      <input type="hidden" name="alertId" value={alertId} />
      <div className="w-full">
        <FormAlert errors={[...(form.errors ?? []), ...(fields.alertId.errors ?? [])]} />
      </div>
      <div className="min-w-0 grow">
        <Field
          label={t("households.alerts.acknowledgeNote")}
          errors={fields.note.errors}
          inputProps={getInputProps(fields.note, { type: "text" })}
        />
      </div>
      <div className="sm:mt-6">
        <SubmitButton
          label={t("households.alerts.acknowledge")}
          pendingLabel={t("households.alerts.acknowledging")}
          pending={fetcher.state !== "idle"}
          variant="secondary"
        />
      </div>
    </fetcher.Form>
  );
}
