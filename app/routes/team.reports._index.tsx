import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { Field, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { PeriodSchema } from "~/domain/households/report-schemas";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { useT } from "~/i18n/react";
import { currentShopYear, shopDateOf } from "~/utils/dates";
import { invalid } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("reports.reportsTitle");

/** The period form is a GET form: a valid period is in the URL, so the download links can be bookmarked and shared. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "team", "admin");
  const search = new URL(request.url).searchParams;
  if (!search.has("from") && !search.has("to")) {
    return { period: { from: `${currentShopYear()}-01-01`, to: shopDateOf(new Date()) }, result: undefined };
  }
  const submission = parseWithZod(search, { schema: PeriodSchema });
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  return { period: submission.value, result: undefined };
}

export default function TeamReports() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const period = "period" in loaded ? loaded.period : null;
  const [form, fields] = useForm({
    id: "period",
    lastResult: loaded.result,
    defaultValue: period ?? undefined,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/households/report-schemas").then((m) => m.PeriodSchema)),
  });
  const query = period ? new URLSearchParams(period).toString() : "";
  const downloads = [
    { name: t("reports.householdReport"), path: "/team/reports/households" },
    { name: t("reports.unitReport"), path: "/team/reports/units" },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title={t("reports.reportsTitle")} body={t("reports.reportsBody")}>
        <Link to="/team/dashboard" className="inline-block text-brand-700 underline">
          {t("reports.dashboardLink")}
        </Link>
      </PageHeader>
      <Form
        method="get"
        {...getFormProps(form)}
        className="grid max-w-xl gap-4 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2"
      >
        <Field label={t("reports.from")} errors={fields.from.errors} inputProps={getInputProps(fields.from, { type: "date" })} />
        <Field label={t("reports.to")} errors={fields.to.errors} inputProps={getInputProps(fields.to, { type: "date" })} />
        <div className="sm:col-span-2">
          <SubmitButton label={t("reports.prepare")} pendingLabel={t("reports.preparing")} />
        </div>
      </Form>
      {period ? (
        <section aria-labelledby="downloads" className="space-y-3">
          <h2 id="downloads" className="text-lg font-semibold">
            {t("reports.period")}: {period.from} – {period.to}
          </h2>
          <ul className="space-y-3">
            {downloads.map((report) => (
              <li key={report.path} className="rounded-lg border border-stone-200 bg-white p-4">
                <p className="font-medium">{report.name}</p>
                <p className="mt-2 flex flex-wrap gap-4">
                  <a href={`${report.path}?${query}&format=xlsx`} className="text-brand-700 underline" download>
                    {t("reports.downloadXlsx")}
                  </a>
                  <a href={`${report.path}?${query}&format=csv`} className="text-brand-700 underline" download>
                    {t("reports.downloadCsv")}
                  </a>
                </p>
              </li>
            ))}
          </ul>
          <p className="text-sm text-stone-600">{t("reports.moneyNote")}</p>
        </section>
      ) : null}
    </div>
  );
}
