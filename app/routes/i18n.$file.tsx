import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnonymous } from "~/auth/guards.server";
import { catalogText } from "~/i18n/i18n.server";
import { notFound } from "~/utils/responses.server";

// A catalog's name carries the hash of its text: changed texts get a new name, so a copy may be kept for a year.
const FOREVER = "public, max-age=31536000, immutable";

/** A page's catalog of translations, which the browser loads before it renders the page (decision 28). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  allowAnonymous(request);
  const text = catalogText(params.file ?? "");
  if (text === undefined) notFound();
  return new Response(text, { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": FOREVER } });
}
