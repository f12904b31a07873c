import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnonymous } from "~/auth/guards.server";
import { notFound } from "~/domain/errors";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("errors.notFoundTitle");

// Unknown paths render the root error page with a 404 in the reader's language.
export async function loader({ request }: LoaderFunctionArgs) {
  allowAnonymous(request);
  throw notFound();
}

export default function NotFound() {
  return null;
}
