import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { allowAnonymous } from "~/auth/guards.server";
import { handleStripeWebhook } from "~/domain/payments/webhooks.server";
import { limitRequest } from "~/utils/rate-limit.server";
import { clientIp } from "~/auth/login-attempts.server";

// Stripe's calls carry no session: the signature checked in handleStripeWebhook is their authentication.
export async function loader({ request }: LoaderFunctionArgs) {
  allowAnonymous(request);
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  allowAnonymous(request);
  await limitRequest("webhook", clientIp(context));
  // The signature covers the exact bytes Stripe sent, so the body is read as text and never re-serialized.
  const rawBody = await request.text();
  try {
    const result = await handleStripeWebhook(rawBody, request.headers.get("Stripe-Signature"));
    return Response.json(result.body, { status: result.status });
  } catch (error) {
    // Nothing was recorded (the transaction rolled back); a 5xx makes Stripe deliver the event again later.
    console.error("Stripe webhook failed; Stripe will retry it:", error);
    return Response.json({ error: "Processing failed" }, { status: 500 });
  }
}
