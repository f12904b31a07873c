import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ROLES, UserAccessSchema } from "~/auth/schemas";
import { FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { getUserForAdmin, listUnits, listVillages, updateUserAccess } from "~/domain/accounts/users.server";
import { useLocalizedName, useT } from "~/i18n/react";
import { invalid, notFound } from "~/utils/responses.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const user = await getUserForAdmin(params.userId ?? "");
  if (!user) notFound();
  const [units, villages] = await Promise.all([listUnits(), listVillages()]);
  return { user: { ...user, roles: user.roles.map((r) => r.role) }, units, villages };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const user = await getUserForAdmin(params.userId ?? "");
  if (!user) notFound();
  const submission = parseWithZod(await request.formData(), { schema: UserAccessSchema });
  if (submission.status !== "success") return invalid(submission.reply(), 400);
  const { roles, unitId, villageId } = submission.value;
  if (user.id === admin.id && !roles.includes("admin")) {
    return invalid(submission.reply({ formErrors: ["admin.cannotRemoveOwnAdmin"] }), 422);
  }
  const [units, villages] = await Promise.all([listUnits(), listVillages()]);
  if (unitId && !units.some((u) => u.id === unitId)) {
    return invalid(submission.reply({ fieldErrors: { unitId: ["errors.unknownUnit"] } }), 422);
  }
  if (villageId && !villages.some((v) => v.id === villageId)) return invalid(submission.reply(), 422);
  await updateUserAccess(admin.id, user.id, { roles, unitId: unitId ?? null, villageId: villageId ?? null });
  return redirect("/admin/users");
}

export default function AdminUserEdit() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { user, units, villages } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-md space-y-6">
      <PageHeader title={t("admin.editUser")} body={`${user.name} · ${user.phone ?? user.email}`} />
      <Form method="post" className="space-y-4">
        <FormAlert errors={actionData?.result.error?.[""]} />
        <fieldset className="rounded-lg border border-stone-200 bg-white p-4">
          <legend className="px-1 text-sm font-medium">{t("admin.rolesLabel")}</legend>
          {ROLES.map((role) => (
            <label key={role} className="flex items-center gap-2 py-1">
              <input type="checkbox" name="roles" value={role} defaultChecked={user.roles.includes(role)} />
              {t(`roles.${role}`)}
            </label>
          ))}
        </fieldset>
        <SelectField
          label={t("admin.unitLabel")}
          errors={actionData?.result.error?.unitId ?? undefined}
          selectProps={{ name: "unitId", defaultValue: user.unitId ?? "" }}
        >
          <option value="">{t("admin.noUnit")}</option>
          {units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {localizedName(unit)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("admin.villageLabel")} selectProps={{ name: "villageId", defaultValue: user.villageId ?? "" }}>
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
