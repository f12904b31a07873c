import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { homePathFor, requireAnonymous } from "~/auth/guards.server";
import { clientIp } from "~/auth/login-attempts.server";
import { SignInSchema } from "~/auth/schemas";
import { createUserSession } from "~/auth/session.server";
import { mergeAnonymousCart } from "~/domain/shop/cart.server";
import { Field, FormAlert, SubmitButton } from "~/components/forms";
import { signIn } from "~/domain/accounts/users.server";
import { SIGN_IN_CONSTRAINT } from "~/utils/form-constraints";
import { useT } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { pageTitle } from "~/utils/meta";
import { safeRedirect } from "~/utils/safe-redirect";

export const meta = pageTitle("auth.signInTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

const hideFields = ["password"];

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const submission = await parseForm(request, SignInSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields });
  const { login, password, redirectTo } = submission.value;
  return runCommand(
    submission,
    async () => {
      const user = await signIn(login, password, clientIp(context));
      const response = await createUserSession(user.id, safeRedirect(redirectTo, homePathFor(user)));
      // A cart filled before signing in becomes the buyer's cart.
      response.headers.append("Set-Cookie", await mergeAnonymousCart(request, user.id));
      return response;
    },
    { hideFields },
  );
}

export default function LoginPage() {
  const t = useT();
  const actionData = useActionData<FormAnswer>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.result,
    constraint: SIGN_IN_CONSTRAINT,
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/auth/schemas").then((m) => m.SignInSchema)),
  });
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold">{t("auth.signInTitle")}</h1>
      {searchParams.get("registered") ? (
        <p role="status" className="mt-4 rounded-md bg-green-50 p-3 text-sm text-green-900">
          {t("auth.registered")}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-4">
        <FormAlert errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field
          label={t("auth.login")}
          hint={t("auth.loginHint")}
          errors={fields.login.errors}
          inputProps={{ ...getInputProps(fields.login, { type: "text" }), autoComplete: "username", inputMode: "email", autoFocus: true }}
        />
        <Field
          label={t("auth.password")}
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: "password" }), autoComplete: "current-password" }}
        />
        <SubmitButton label={t("auth.submitSignIn")} pendingLabel={t("auth.signingIn")} />
      </Form>
      <p className="mt-6 text-sm text-stone-600">
        {t("auth.noAccount")}{" "}
        <Link className="text-brand-700 underline" to={{ pathname: "/register", search: searchParams.toString() }}>
          {t("nav.register")}
        </Link>
      </p>
      <p className="mt-2 text-xs text-stone-500">{t("auth.demoHint")}</p>
    </div>
  );
}
