import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { requireAnonymous } from "~/auth/guards.server";
import { clientIp } from "~/auth/login-attempts.server";
import { createUserSession } from "~/auth/session.server";
import { Field, FormAlert, SubmitButton } from "~/components/forms";
import { activateAccount } from "~/domain/accounts/activation.server";
import { ActivationSchema } from "~/domain/accounts/roster-schemas";
import { useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { ACTIVATION_CONSTRAINT } from "~/utils/form-constraints";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("activation.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

const hideFields = ["password"];

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const submission = await parseForm(request, ActivationSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields });
  return runCommand(
    submission,
    async () => {
      const user = await activateAccount(submission.value, clientIp(context));
      return createUserSession(user.id, "/");
    },
    { hideFields },
  );
}

export default function ActivatePage() {
  const t = useT();
  const answer = useActionData<FormAnswer>();
  const [form, fields] = useForm({
    id: "activate",
    lastResult: answer?.result,
    constraint: ACTIVATION_CONSTRAINT,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/accounts/roster-schemas").then((m) => m.ActivationSchema)),
  });
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold">{t("activation.title")}</h1>
      <p className="mt-2 text-sm text-stone-600">{t("activation.body")}</p>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <FormAlert errors={form.errors} />
        <Field
          label={t("activation.phone")}
          errors={fields.phone.errors}
          inputProps={{ ...getInputProps(fields.phone, { type: "tel" }), autoComplete: "tel", inputMode: "tel" }}
        />
        <Field
          label={t("activation.code")}
          hint={t("activation.codeHint")}
          errors={fields.code.errors}
          inputProps={{ ...getInputProps(fields.code, { type: "text" }), autoComplete: "one-time-code", autoCapitalize: "characters" }}
        />
        <Field
          label={t("activation.password")}
          hint={t("activation.passwordHint")}
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "new-password" }}
        />
        <SubmitButton label={t("activation.submit")} pendingLabel={t("activation.submitting")} />
      </Form>
    </div>
  );
}
