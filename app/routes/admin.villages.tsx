import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DoneNote, Field, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { CooperativeFeesSchema } from "~/domain/accounts/admin-schemas";
import { updateCooperativeFees, villagesWithCooperatives } from "~/domain/accounts/admin.server";
import { basisPointsToPercentText, fenToYuanText } from "~/domain/money";
import { useLocalizedName, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { COOPERATIVE_FEES_CONSTRAINT } from "~/utils/form-constraints";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("adminPages.villages.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { villages: await villagesWithCooperatives() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const submission = await parseForm(request, CooperativeFeesSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const { cooperativeId, deliveryFee, defaultFeeRate } = submission.value;
  return runCommand(submission, async () => {
    const cooperative = await updateCooperativeFees(admin, cooperativeId, {
      deliveryFeeFen: deliveryFee,
      defaultFeeRateBp: defaultFeeRate,
    });
    return done(submission, "adminPages.villages.saved", { name: cooperative.name }, { resetForm: false });
  });
}

type Cooperative = { id: string; name: string; nameEn: string; deliveryFeeFen: number; defaultFeeRateBp: number };

export default function AdminVillages() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { villages } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("adminPages.villages.title")} body={t("adminPages.villages.body")} />
      {villages.map((village) => (
        <section
          key={village.id}
          aria-labelledby={`village-${village.id}`}
          className="space-y-3 rounded-lg border border-stone-200 bg-white p-4"
        >
          <h2 id={`village-${village.id}`} className="font-medium">
            {localizedName(village)} <span className="text-sm font-normal text-stone-600">{village.county}</span>
          </h2>
          {village.cooperative ? (
            <FeesForm cooperative={village.cooperative} />
          ) : (
            <p className="text-stone-600">{t("adminPages.villages.noCooperative")}</p>
          )}
        </section>
      ))}
    </div>
  );
}

function FeesForm({ cooperative }: { cooperative: Cooperative }) {
  const t = useT();
  const localizedName = useLocalizedName();
  const fetcher = useFetcher<FormAnswer>({ key: `fees-${cooperative.id}` });
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const [form, fields] = useForm({
    id: `fees-${cooperative.id}`,
    lastResult: answer?.result,
    defaultValue: {
      cooperativeId: cooperative.id,
      deliveryFee: fenToYuanText(cooperative.deliveryFeeFen),
      defaultFeeRate: basisPointsToPercentText(cooperative.defaultFeeRateBp),
    },
    constraint: COOPERATIVE_FEES_CONSTRAINT,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/accounts/admin-schemas").then((m) => m.CooperativeFeesSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="max-w-md space-y-3">
      <p className="text-sm text-stone-700">{localizedName(cooperative)}</p>
      <FormAlert errors={form.errors} />
      <DoneNote message={answer?.done} />
      <input {...getInputProps(fields.cooperativeId, { type: "hidden" })} />
      <Field
        label={t("adminPages.villages.deliveryFee")}
        errors={fields.deliveryFee.errors}
        inputProps={{ ...getInputProps(fields.deliveryFee, { type: "text" }), inputMode: "decimal" }}
      />
      <Field
        label={t("adminPages.villages.defaultFeeRate")}
        errors={fields.defaultFeeRate.errors}
        inputProps={{ ...getInputProps(fields.defaultFeeRate, { type: "text" }), inputMode: "decimal" }}
      />
      <SubmitButton label={t("common.save")} pendingLabel={t("common.saving")} pending={fetcher.state !== "idle"} />
    </fetcher.Form>
  );
}
