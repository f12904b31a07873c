import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { allowAnonymous } from "~/auth/guards.server";
import { isLocale } from "~/i18n/i18n";
import { localeCookie } from "~/i18n/i18n.server";
import { safeRedirect } from "~/utils/safe-redirect";

export async function loader({ request }: LoaderFunctionArgs) {
  allowAnonymous(request);
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  allowAnonymous(request);
  const form = await request.formData();
  const locale = form.get("locale");
  if (!isLocale(locale)) throw new Response("Unknown language", { status: 400 });
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}
