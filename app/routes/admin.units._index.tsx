import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DoneNote, Field, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { NewUnitSchema } from "~/domain/accounts/admin-schemas";
import { createUnit, unitTree, type UnitTreeNode } from "~/domain/accounts/admin.server";
import { useLocalizedName, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { NEW_UNIT_CONSTRAINT } from "~/utils/form-constraints";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("adminPages.units.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { units: await unitTree() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const submission = await parseForm(request, NewUnitSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const { intent: _intent, ...input } = submission.value;
  return runCommand(submission, async () => {
    const unit = await createUnit(admin, input);
    return done(submission, "adminPages.units.created", { name: unit.name });
  });
}

export default function AdminUnits() {
  const t = useT();
  const { units } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("adminPages.units.title")} body={t("adminPages.units.body")} />
      <section aria-labelledby="bureau" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="bureau" className="font-medium">
          {t("adminPages.units.bureau")}
        </h2>
        <ul className="mt-3 space-y-2 border-l-2 border-stone-200 pl-4" role="tree" aria-labelledby="bureau">
          {units.map((unit) => (
            <UnitItem key={unit.id} unit={unit} />
          ))}
        </ul>
      </section>
      <NewUnitForm />
    </div>
  );
}

function UnitItem({ unit }: { unit: UnitTreeNode }) {
  const t = useT();
  const localizedName = useLocalizedName();
  return (
    <li
      role="treeitem"
      aria-selected={false}
      aria-expanded={unit.children.length ? true : undefined}
      className="rounded-md border border-stone-100 p-3"
    >
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <Link to={unit.id} className="font-medium text-brand-700 underline">
          {localizedName(unit)}
        </Link>
        <span className="font-mono text-xs text-stone-500">{unit.code}</span>
        <span className="text-sm text-stone-600">{t("adminPages.units.members", { count: unit.members })}</span>
      </div>
      <p className="mt-1 text-sm text-stone-700">
        {t("adminPages.units.organizers")}：
        {unit.organizers.length ? unit.organizers.map((o) => o.name).join("、") : t("adminPages.units.noOrganizers")}
      </p>
      {unit.children.length ? (
        <ul role="group" className="mt-2 space-y-2 border-l-2 border-stone-200 pl-4">
          {unit.children.map((child) => (
            <UnitItem key={child.id} unit={child} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function NewUnitForm() {
  const t = useT();
  const answer = useActionData<FormAnswer>();
  const [form, fields] = useForm({
    id: "new-unit",
    lastResult: answer?.result,
    constraint: NEW_UNIT_CONSTRAINT,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/accounts/admin-schemas").then((m) => m.NewUnitSchema)),
  });
  return (
    <section aria-labelledby="new-unit-title" className="max-w-md space-y-3">
      <h2 id="new-unit-title" className="font-medium">
        {t("adminPages.units.newTitle")}
      </h2>
      <DoneNote message={answer?.done} />
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <FormAlert errors={form.errors} />
        <input type="hidden" name="intent" value="create" />
        <Field label={t("adminPages.units.code")} errors={fields.code.errors} inputProps={getInputProps(fields.code, { type: "text" })} />
        <Field label={t("adminPages.units.name")} errors={fields.name.errors} inputProps={getInputProps(fields.name, { type: "text" })} />
        <Field
          label={t("adminPages.units.nameEn")}
          errors={fields.nameEn.errors}
          inputProps={getInputProps(fields.nameEn, { type: "text" })}
        />
        <SubmitButton label={t("adminPages.units.create")} pendingLabel={t("adminPages.units.creating")} />
      </Form>
    </section>
  );
}
