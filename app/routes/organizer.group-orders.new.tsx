import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorList, Field, FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { createGroupOrder } from "~/domain/group-orders/commands.server";
import { skusForGroupOrders, unitsForOrganizer } from "~/domain/group-orders/queries.server";
import { NewGroupOrderSchema } from "~/domain/group-orders/schemas";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/i18n/react";
import { addCalendarDays, shopDateOf, toShopDateTimeInput } from "~/utils/dates";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle("groupOrders.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const [units, skus] = await Promise.all([unitsForOrganizer(user), skusForGroupOrders()]);
  const now = new Date();
  const today = shopDateOf(now);
  const defaults = {
    opensAt: toShopDateTimeInput(now),
    closesAt: `${addCalendarDays(today, 2)}T20:00`,
    deliveryDate: addCalendarDays(today, 4),
  };
  return { units, skus, defaults };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const submission = await parseForm(request, NewGroupOrderSchema);
  if (submission.status !== "success") return invalid(submission);
  const { items, ...value } = submission.value;
  return runCommand(submission, async () => {
    const group = await createGroupOrder(user, {
      ...value,
      items: items.filter((item) => item.include).map((item) => ({ skuId: item.skuId, perPersonLimit: item.limit ?? null })),
    });
    return redirect(`/organizer/group-orders/${group.id}`);
  });
}

export default function NewGroupOrder() {
  const t = useT();
  const locale = useLocale();
  const { units, skus, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "new-group-order",
    lastResult: actionData?.result,
    defaultValue: { ...defaults, paymentModes: "both", unitIds: units.length === 1 ? [units[0]!.id] : [] },
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/group-orders/schemas").then((m) => m.NewGroupOrderSchema)),
  });
  return (
    <div className="space-y-4">
      <PageHeader title={t("groupOrders.newTitle")} body={t("groupOrders.timesInShanghai")} />
      <Form method="post" {...getFormProps(form)} className="max-w-2xl space-y-4">
        <FormAlert errors={form.errors} />
        <Field
          label={t("groupOrders.fields.title")}
          errors={fields.title.errors}
          inputProps={getInputProps(fields.title, { type: "text" })}
        />
        <fieldset className="rounded-lg border border-stone-200 bg-white p-4">
          <legend className="px-1 text-sm font-medium text-stone-700">{t("groupOrders.fields.units")}</legend>
          <div className="flex flex-wrap gap-4">
            {units.map((unit) => (
              <label key={unit.id} className="flex items-center gap-2">
                <input type="checkbox" name={fields.unitIds.name} value={unit.id} defaultChecked={units.length === 1} />
                {locale === "en" ? unit.nameEn : unit.name}
              </label>
            ))}
          </div>
          <ErrorList errors={fields.unitIds.errors} />
        </fieldset>
        <fieldset className="rounded-lg border border-stone-200 bg-white p-4">
          <legend className="px-1 text-sm font-medium text-stone-700">{t("groupOrders.fields.items")}</legend>
          <ul className="space-y-2">
            {skus.map((sku, index) => (
              <li key={sku.id} className="flex flex-wrap items-center gap-3">
                <input type="hidden" name={`items[${index}].skuId`} value={sku.id} />
                <label className="flex min-w-64 flex-1 items-center gap-2">
                  <input type="checkbox" name={`items[${index}].include`} />
                  {locale === "en" ? `${sku.product.nameEn} ${sku.nameEn}` : `${sku.product.nameZh} ${sku.nameZh}`} ·{" "}
                  {formatFen(sku.priceFen)}
                </label>
                <label className="flex items-center gap-2 text-sm text-stone-600">
                  {t("groupOrders.fields.perPersonLimit")}
                  <input
                    type="number"
                    min={1}
                    inputMode="numeric"
                    name={`items[${index}].limit`}
                    className="w-20 rounded border border-stone-300 px-2 py-1"
                  />
                </label>
              </li>
            ))}
          </ul>
          <ErrorList errors={fields.items.errors} />
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label={t("groupOrders.fields.opensAt")}
            errors={fields.opensAt.errors}
            inputProps={getInputProps(fields.opensAt, { type: "datetime-local" })}
          />
          <Field
            label={t("groupOrders.fields.closesAt")}
            errors={fields.closesAt.errors}
            inputProps={getInputProps(fields.closesAt, { type: "datetime-local" })}
          />
          <Field
            label={t("groupOrders.fields.pickupPoint")}
            errors={fields.pickupPoint.errors}
            inputProps={getInputProps(fields.pickupPoint, { type: "text" })}
          />
          <Field
            label={t("groupOrders.fields.deliveryDate")}
            errors={fields.deliveryDate.errors}
            inputProps={getInputProps(fields.deliveryDate, { type: "date" })}
          />
        </div>
        <SelectField
          label={t("groupOrders.fields.paymentModes")}
          errors={fields.paymentModes.errors}
          selectProps={getSelectProps(fields.paymentModes)}
        >
          {(["both", "unit_settlement", "card"] as const).map((mode) => (
            <option key={mode} value={mode}>
              {t(`groupOrders.paymentModes.${mode}`)}
            </option>
          ))}
        </SelectField>
        <SubmitButton label={t("groupOrders.create")} pendingLabel={t("groupOrders.creating")} />
      </Form>
    </div>
  );
}
