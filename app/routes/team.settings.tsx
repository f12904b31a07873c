import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { Field, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { MonitoringSettingsSchema } from "~/domain/households/schema";
import { monitoringSettings, saveMonitoringSettings } from "~/domain/households/monitoring.server";
import { useT } from "~/i18n/react";

const decimal = (units: number) => `${Math.trunc(units / 100)}.${String(units % 100).padStart(2, "0")}`;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "team", "admin");
  const settings = await monitoringSettings();
  return {
    values: {
      threshold: settings.perCapitaThresholdFen === null ? undefined : decimal(settings.perCapitaThresholdFen),
      dropShare: decimal(settings.incomeDropShareBp),
      noSalesDays: String(settings.noSalesDays),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = parseWithZod(await request.formData(), { schema: MonitoringSettingsSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), saved: false }, { status: 422 });
  const { threshold, dropShare, noSalesDays } = submission.value;
  await saveMonitoringSettings(viewer, { perCapitaThresholdFen: threshold, incomeDropShareBp: dropShare, noSalesDays });
  return data({ result: submission.reply(), saved: true });
}

export default function MonitoringSettingsPage() {
  const t = useT();
  const { values } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "monitoring-settings",
    lastResult: answer?.result,
    defaultValue: values,
    constraint: getZodConstraint(MonitoringSettingsSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MonitoringSettingsSchema }),
  });
  return (
    <div className="space-y-4">
      <PageHeader title={t("households.settings.title")} body={t("households.settings.body")}>
        <Link to="/team/alerts" className="inline-block text-brand-700 underline">
          {t("households.alerts.title")}
        </Link>
      </PageHeader>
      {answer?.saved ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {t("households.settings.saved")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="max-w-md space-y-4">
        <FormAlert errors={form.errors} />
        <Field
          label={t("households.settings.threshold")}
          errors={fields.threshold.errors}
          inputProps={{ ...getInputProps(fields.threshold, { type: "text" }), inputMode: "decimal" }}
        />
        <Field
          label={t("households.settings.dropShare")}
          hint={t("households.settings.dropShareHint")}
          errors={fields.dropShare.errors}
          inputProps={{ ...getInputProps(fields.dropShare, { type: "text" }), inputMode: "decimal" }}
        />
        <Field
          label={t("households.settings.noSalesDays")}
          errors={fields.noSalesDays.errors}
          inputProps={{ ...getInputProps(fields.noSalesDays, { type: "number" }), inputMode: "numeric" }}
        />
        <SubmitButton label={t("common.save")} pendingLabel={t("common.saving")} />
      </Form>
    </div>
  );
}
