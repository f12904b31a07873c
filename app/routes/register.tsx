import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireAnonymous } from "~/auth/guards.server";
import { RegisterSchema } from "~/auth/schemas";
import { Field, FormAlert, SelectField, SubmitButton } from "~/components/forms";
import { listUnits, registerEmployee } from "~/domain/accounts/users.server";
import { useLocalizedName, useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { safeRedirect } from "~/utils/safe-redirect";
import { REGISTER_CONSTRAINT } from "~/utils/form-constraints";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { limitRequest } from "~/utils/rate-limit.server";
import { clientIp } from "~/auth/login-attempts.server";

export const meta = pageTitle("auth.registerTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return { units: await listUnits() };
}

const hideFields = ["password"];

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  await limitRequest("register", clientIp(context));
  const submission = await parseForm(request, RegisterSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields });
  const { redirectTo, ...input } = submission.value;
  // New or already registered, the answer is the same (no account enumeration): sign in next, with the password
  // just chosen or the one the account has. The cart filled meanwhile becomes the buyer's when they sign in.
  return runCommand(
    submission,
    async () => {
      await registerEmployee(input);
      const search = new URLSearchParams({ registered: "1", ...(redirectTo ? { redirectTo: safeRedirect(redirectTo, "/") } : {}) });
      return redirect(`/login?${search}`);
    },
    { hideFields },
  );
}

export default function RegisterPage() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { units } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormAnswer>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "register",
    lastResult: actionData?.result,
    constraint: REGISTER_CONSTRAINT,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/auth/schemas").then((m) => m.RegisterSchema)),
  });
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold">{t("auth.registerTitle")}</h1>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <FormAlert errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field
          label={t("auth.name")}
          errors={fields.name.errors}
          inputProps={{ ...getInputProps(fields.name, { type: "text" }), autoComplete: "name" }}
        />
        <Field
          label={t("auth.login")}
          hint={t("auth.loginHint")}
          errors={fields.login.errors}
          inputProps={{ ...getInputProps(fields.login, { type: "text" }), autoComplete: "username", inputMode: "email" }}
        />
        <Field
          label={t("auth.password")}
          hint={t("auth.passwordHint")}
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "new-password" }}
        />
        <SelectField label={t("auth.unit")} errors={fields.unitId.errors} selectProps={getSelectProps(fields.unitId)}>
          <option value="">{t("auth.chooseUnit")}</option>
          {units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {localizedName(unit)}
            </option>
          ))}
        </SelectField>
        <SubmitButton label={t("auth.submitRegister")} pendingLabel={t("auth.registering")} />
      </Form>
      <p className="mt-6 text-sm text-stone-600">
        {t("auth.haveAccount")}{" "}
        <Link className="text-brand-700 underline" to={{ pathname: "/login", search: searchParams.toString() }}>
          {t("nav.signIn")}
        </Link>
      </p>
    </div>
  );
}
