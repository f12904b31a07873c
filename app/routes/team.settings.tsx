import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DoneNote, Field, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { monitoringSettings, saveMonitoringSettings, settingsVillage } from "~/domain/households/monitoring.server";
import { MonitoringSettingsSchema } from "~/domain/households/schema";
import { basisPointsToPercentText, fenToYuanText } from "~/domain/money";
import { MONITORING_SETTINGS_CONSTRAINT } from "~/utils/form-constraints";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { useLocalizedName, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("households.settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const village = await settingsVillage(viewer, new URL(request.url).searchParams.get("village"));
  const settings = await monitoringSettings(village.id);
  return {
    village,
    values: {
      threshold: settings.perCapitaThresholdFen === null ? undefined : fenToYuanText(settings.perCapitaThresholdFen),
      dropShare: basisPointsToPercentText(settings.incomeDropShareBp),
      noSalesDays: String(settings.noSalesDays),
      villageId: village.id,
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = await parseForm(request, MonitoringSettingsSchema);
  if (submission.status !== "success") return invalid(submission);
  const { threshold, dropShare, noSalesDays, villageId } = submission.value;
  return runCommand(submission, async () => {
    await saveMonitoringSettings(viewer, villageId ?? viewer.villageId ?? "", {
      perCapitaThresholdFen: threshold,
      incomeDropShareBp: dropShare,
      noSalesDays,
    });
    return done(submission, "households.settings.saved", undefined, { resetForm: false });
  });
}

export default function MonitoringSettingsPage() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { values, village } = useLoaderData<typeof loader>();
  const answer = useActionData<FormAnswer>();
  const [form, fields] = useForm({
    id: "monitoring-settings",
    lastResult: answer?.result,
    defaultValue: values,
    constraint: MONITORING_SETTINGS_CONSTRAINT,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/households/schema").then((m) => m.MonitoringSettingsSchema)),
  });
  return (
    <div className="space-y-4">
      <PageHeader title={`${t("households.settings.title")} · ${localizedName(village)}`} body={t("households.settings.body")}>
        <Link to="/team/alerts" className="inline-block text-brand-700 underline">
          {t("households.alerts.title")}
        </Link>
      </PageHeader>
      <DoneNote message={answer?.done} />
      <Form method="post" {...getFormProps(form)} className="max-w-md space-y-4">
        <FormAlert errors={form.errors} />
        <input {...getInputProps(fields.villageId, { type: "hidden" })} />
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
