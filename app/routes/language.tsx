import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { allowAnonymous } from "~/auth/guards.server";
import { LOCALES } from "~/i18n/i18n";
import { localeCookie } from "~/i18n/i18n.server";
import { invalid, parseForm } from "~/utils/forms.server";
import { safeRedirect } from "~/utils/safe-redirect";

// The layout's language switch: hidden fields only, so nothing to check in the browser.
const LanguageSchema = z.object({
  locale: z.enum(LOCALES, { error: "errors.badRequestTitle" }),
  redirectTo: z.string({ error: "errors.badRequestTitle" }).max(2000, "errors.tooLong").optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  allowAnonymous(request);
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  allowAnonymous(request);
  const submission = await parseForm(request, LanguageSchema);
  if (submission.status !== "success") return invalid(submission);
  const { locale, redirectTo } = submission.value;
  return redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}
