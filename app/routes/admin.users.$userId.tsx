import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ROLES } from "~/auth/roles";
import { UserAccessSchema } from "~/auth/schemas";
import { ErrorList, FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { getUserForAdmin, listUnits, listVillages, updateUserAccess } from "~/domain/accounts/users.server";
import { useLocalizedName, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle<typeof loader>((t, data) => (data ? `${t("admin.editUser")} · ${data.user.name}` : t("admin.editUser")));

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [user, units, villages] = await Promise.all([getUserForAdmin(params.userId ?? ""), listUnits(), listVillages()]);
  return { user, units, villages };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const submission = await parseForm(request, UserAccessSchema);
  if (submission.status !== "success") return invalid(submission);
  const { roles, unitId, villageId } = submission.value;
  return runCommand(submission, async () => {
    await updateUserAccess(admin.id, params.userId ?? "", { roles, unitId: unitId ?? null, villageId: villageId ?? null });
    return redirect("/admin/users");
  });
}

export default function AdminUserEdit() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { user, units, villages } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormAnswer>();
  const [form, fields] = useForm({
    id: `user-access-${user.id}`,
    lastResult: actionData?.result,
    defaultValue: { roles: user.roles, unitId: user.unitId ?? "", villageId: user.villageId ?? "" },
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/auth/schemas").then((m) => m.UserAccessSchema)),
  });
  return (
    <div className="max-w-md space-y-6">
      <PageHeader title={t("admin.editUser")} body={`${user.name} · ${user.phone ?? user.email}`} />
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <FormAlert errors={form.errors} />
        <fieldset className="rounded-lg border border-stone-200 bg-white p-4" aria-describedby={fields.roles.errorId}>
          <legend className="px-1 text-sm font-medium">{t("admin.rolesLabel")}</legend>
          {ROLES.map((role) => (
            <label key={role} className="flex items-center gap-2 py-1">
              <input type="checkbox" name={fields.roles.name} value={role} defaultChecked={user.roles.includes(role)} />
              {t(`roles.${role}`)}
            </label>
          ))}
          <ErrorList id={fields.roles.errorId} errors={Object.values(fields.roles.allErrors).flat()} />
        </fieldset>
        <SelectField label={t("admin.unitLabel")} errors={fields.unitId.errors} selectProps={getSelectProps(fields.unitId)}>
          <option value="">{t("admin.noUnit")}</option>
          {units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {localizedName(unit)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("admin.villageLabel")} errors={fields.villageId.errors} selectProps={getSelectProps(fields.villageId)}>
          <option value="">{t("admin.noVillage")}</option>
          {villages.map((village) => (
            <option key={village.id} value={village.id}>
              {localizedName(village)}
            </option>
          ))}
        </SelectField>
        <SubmitButton label={t("common.save")} pendingLabel={t("common.saving")} />
      </Form>
    </div>
  );
}
