// Stripe as the tests see it: a fake account that creates and retrieves Checkout Sessions the way the API does
// (including idempotency keys), msw handlers that put it at Stripe's address, and webhook events signed like Stripe
// signs them. The browser journeys' fake server (tests/e2e/fake-stripe.ts) serves the same account over HTTP.
import { randomBytes } from "node:crypto";
import { http, HttpResponse } from "msw";
import Stripe from "stripe";

export const TEST_STRIPE_SECRET_KEY = "sk_test_anshang_fake";
export const TEST_WEBHOOK_SECRET = "whsec_test_anshang_fake";

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormParams = { [key: string]: FormValue };

/** Stripe's form encoding (`line_items[0][price_data][unit_amount]=8800`) back into nested objects and arrays. */
export function decodeStripeForm(body: string): FormParams {
  const root: FormParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/]/g, "").split("[");
    let node = root;
    path.forEach((segment, index) => {
      const next = path[index + 1];
      if (next === undefined) node[segment] = value;
      else node = (node[segment] ??= /^\d+$/.test(next) ? [] : {}) as FormParams;
    });
  }
  return root;
}

export type FakeSession = {
  id: string;
  object: "checkout.session";
  mode: string;
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid";
  url: string;
  amount_total: number;
  currency: string;
  expires_at: number;
  created: number;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  allowed_payment_method_types: string[];
  payment_intent: string | null;
  success_url: string;
  cancel_url: string;
  livemode: false;
};

export type FakeRefund = {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  payment_intent: string;
  status: "succeeded";
  metadata: Record<string, string>;
};

export type CreateRequest = { idempotencyKey: string | null; params: FormParams };

type ApiAnswer = { status: number; json: unknown };

const randomId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;
const stripeError = (status: number, type: string, message: string): ApiAnswer => ({ status, json: { error: { type, message } } });

export class FakeStripeAccount {
  readonly sessions = new Map<string, FakeSession>();
  readonly createRequests: CreateRequest[] = [];
  readonly refunds: FakeRefund[] = [];
  readonly refundRequests: CreateRequest[] = [];
  /** Amount each payment intent was paid, when a test wants Stripe's "more than was paid" refusal. */
  readonly refundableFen = new Map<string, number>();
  private readonly byIdempotencyKey = new Map<string, { body: string; answer: ApiAnswer }>();

  constructor(private readonly payPageUrl: (sessionId: string) => string = (id) => `https://checkout.stripe.com/c/pay/${id}`) {}

  /**
   * POST /v1/checkout/sessions. Like Stripe, a repeated key replays the first answer and refuses other params, and
   * a session must live between 30 minutes and 24 hours.
   */
  createSession(body: string, idempotencyKey: string | null): ApiAnswer {
    const params = decodeStripeForm(body);
    this.createRequests.push({ idempotencyKey, params });
    const earlier = idempotencyKey ? this.byIdempotencyKey.get(idempotencyKey) : undefined;
    if (earlier) {
      return earlier.body === body
        ? earlier.answer
        : stripeError(
            400,
            "idempotency_error",
            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
          );
    }
    const created = Math.floor(Date.now() / 1000);
    const expiresAt = params.expires_at === undefined ? created + 24 * 60 * 60 : Number(params.expires_at);
    if (expiresAt - created < 30 * 60 || expiresAt - created > 24 * 60 * 60) {
      return stripeError(
        400,
        "invalid_request_error",
        "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
      );
    }
    const lineItems = (params.line_items ?? []) as { quantity: string; price_data: { currency: string; unit_amount: string } }[];
    const id = randomId("cs");
    const session: FakeSession = {
      id,
      object: "checkout.session",
      mode: String(params.mode),
      status: "open",
      payment_status: "unpaid",
      url: this.payPageUrl(id),
      amount_total: lineItems.reduce((sum, item) => sum + Number(item.price_data.unit_amount) * Number(item.quantity), 0),
      currency: lineItems[0]?.price_data.currency ?? "usd",
      expires_at: expiresAt,
      created,
      client_reference_id: (params.client_reference_id as string | undefined) ?? null,
      metadata: (params.metadata ?? {}) as Record<string, string>,
      allowed_payment_method_types: (params.allowed_payment_method_types ?? ["card"]) as string[],
      payment_intent: null,
      success_url: String(params.success_url),
      cancel_url: String(params.cancel_url),
      livemode: false,
    };
    this.sessions.set(id, session);
    const answer = { status: 200, json: { ...session } };
    if (idempotencyKey) this.byIdempotencyKey.set(idempotencyKey, { body, answer });
    return answer;
  }

  /** GET /v1/checkout/sessions/:id */
  retrieveSession(id: string): ApiAnswer {
    const session = this.sessions.get(id);
    return session ? { status: 200, json: session } : stripeError(404, "invalid_request_error", `No such checkout.session: '${id}'`);
  }

  /** POST /v1/checkout/sessions/:id/expire: like Stripe, only an open session can be expired. */
  expireSession(id: string): ApiAnswer {
    const session = this.sessions.get(id);
    if (!session) return stripeError(404, "invalid_request_error", `No such checkout.session: '${id}'`);
    if (session.status !== "open")
      return stripeError(
        400,
        "invalid_request_error",
        `Only Checkout Sessions with a status of open can be expired; this one is ${session.status}.`,
      );
    return { status: 200, json: this.update(id, { status: "expired" }) };
  }

  /** The buyer finished paying (or, with "unpaid", started a payment that settles later). */
  complete(id: string, paymentStatus: "paid" | "unpaid" = "paid"): FakeSession {
    return this.update(id, { status: "complete", payment_status: paymentStatus, payment_intent: randomId("pi") });
  }

  update(id: string, changes: Partial<FakeSession>): FakeSession {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`No fake Checkout Session ${id}`);
    Object.assign(session, changes);
    return { ...session };
  }

  /**
   * POST /v1/refunds. Like Stripe, a repeated idempotency key replays the first answer (and refuses other params),
   * and a payment intent cannot be refunded for more than `refundableFen` in all (unset: no limit is checked).
   */
  createRefund(body: string, idempotencyKey: string | null): ApiAnswer {
    const params = decodeStripeForm(body);
    this.refundRequests.push({ idempotencyKey, params });
    const earlier = idempotencyKey ? this.byIdempotencyKey.get(`refund:${idempotencyKey}`) : undefined;
    if (earlier) {
      return earlier.body === body
        ? earlier.answer
        : stripeError(
            400,
            "idempotency_error",
            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
          );
    }
    const paymentIntent = String(params.payment_intent ?? "");
    if (!paymentIntent) return stripeError(400, "invalid_request_error", "You must pass either a charge or a payment_intent.");
    const amount = Number(params.amount);
    const limit = this.refundableFen.get(paymentIntent);
    const refundedBefore = this.refunds.filter((r) => r.payment_intent === paymentIntent).reduce((sum, r) => sum + r.amount, 0);
    if (limit !== undefined && refundedBefore + amount > limit) {
      return stripeError(
        400,
        "invalid_request_error",
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${limit - refundedBefore})`,
      );
    }
    const refund: FakeRefund = {
      id: randomId("re"),
      object: "refund",
      amount,
      currency: "cny",
      payment_intent: paymentIntent,
      status: "succeeded",
      metadata: (params.metadata ?? {}) as Record<string, string>,
    };
    this.refunds.push(refund);
    const answer = { status: 200, json: { ...refund } };
    if (idempotencyKey) this.byIdempotencyKey.set(`refund:${idempotencyKey}`, { body, answer });
    return answer;
  }

  reset() {
    this.sessions.clear();
    this.createRequests.length = 0;
    this.byIdempotencyKey.clear();
    this.refunds.length = 0;
    this.refundRequests.length = 0;
    this.refundableFen.clear();
  }
}

/** msw handlers that answer the SDK's calls from `account`; `base` is STRIPE_API_BASE when one is configured. */
export function stripeHandlers(account: FakeStripeAccount, base = "https://api.stripe.com") {
  const reply = ({ status, json }: ApiAnswer) => HttpResponse.json(json as Record<string, unknown>, { status });
  return [
    http.post(`${base}/v1/checkout/sessions`, async ({ request }) =>
      reply(account.createSession(await request.text(), request.headers.get("Idempotency-Key"))),
    ),
    http.get(`${base}/v1/checkout/sessions/:id`, ({ params }) => reply(account.retrieveSession(String(params.id)))),
    http.post(`${base}/v1/checkout/sessions/:id/expire`, ({ params }) => reply(account.expireSession(String(params.id)))),
    http.post(`${base}/v1/refunds`, async ({ request }) =>
      reply(account.createRefund(await request.text(), request.headers.get("Idempotency-Key"))),
    ),
  ];
}

/** A webhook delivery of `type` about `session`, signed with the endpoint secret as Stripe does. */
export function signedEvent(type: string, session: FakeSession, options: { id?: string; secret?: string } = {}) {
  const event = {
    id: options.id ?? randomId("evt"),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    type,
    data: { object: session },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  };
  const body = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: options.secret ?? TEST_WEBHOOK_SECRET });
  return { id: event.id, body, signature };
}
