import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { allowAnonymous } from "~/auth/guards.server";
import { destroyUserSession } from "~/auth/session.server";

// Signing out changes state, so it is a POST; a GET (a prefetch, a crawler) only goes home.
export async function loader({ request }: LoaderFunctionArgs) {
  allowAnonymous(request);
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  allowAnonymous(request);
  return destroyUserSession(request, "/");
}
