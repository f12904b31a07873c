// The checkout POST in front of Remix (docs/decisions/0018-thin-checkout.md). In a closing rush most requests are
// checkout submissions, and Remix's request handling (route matching twice, the static handler, single fetch's data
// strategy, the document headers) cost more server CPU than the submission itself. This handler runs the checkout
// route's own action — the same guard, rate limit, form schema and placeOrder, the same function Remix would call —
// and writes the answers a rush is made of itself, byte for byte as Remix writes them:
//   - with JavaScript (POST /checkout.data): the redirect to the order (202 and the redirect in turbo-stream, as
//     single fetch sends it) and the form's reply (400 malformed, 409 sold out or a changed price);
//   - without JavaScript (POST /checkout): the redirect to the order.
// Everything else (a page to render with the form's messages, a thrown response such as the sign-in redirect, 403,
// 429 or 415, an error) is handed to Remix together with the action's outcome, so the action is not run twice:
// the route's action returns what it is handed (`handedOverCheckout`).
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { encodeViaTurboStream, getSingleFetchRedirect, SINGLE_FETCH_REDIRECT_STATUS } from "@remix-run/server-runtime/dist/single-fetch.js";
import type { ServerMode } from "@remix-run/server-runtime/dist/mode.js";
import type express from "express";

const ROUTE_ID = "routes/checkout";
const DATA_PATH = "/checkout.data";
const DOCUMENT_PATH = "/checkout";

/** What the action did: its return value, or what it threw. */
export type CheckoutOutcome = { value: unknown } | { thrown: unknown };

type HandingOver = { checkoutOutcome?: CheckoutOutcome };

/** The outcome the thin handler got from the action, when it hands the request over to Remix to answer. */
export function handedOverCheckout(context: AppLoadContext): CheckoutOutcome | undefined {
  return (context as HandingOver).checkoutOutcome;
}

type DataWithInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

function isDataWithInit(value: unknown): value is DataWithInit {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

const isRedirect = (value: unknown): value is Response =>
  value instanceof Response && value.status >= 300 && value.status < 400 && value.headers.has("Location");

/** Remix refuses a form post whose Origin names another host than the one it was sent to (after server.ts's own check). */
function originMatchesHost(req: express.Request) {
  const origin = req.get("origin");
  if (!origin) return true;
  const host = req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host");
  try {
    return origin !== "null" && new URL(origin).host === host;
  } catch {
    return false;
  }
}

type Options = {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: "production" | "development";
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext;
};

/**
 * The Express handler for POST /checkout and /checkout.data; `next()` (Remix) gets what it does not answer, with
 * the action's outcome in `res.locals.checkoutOutcome` for the load context.
 */
export function checkoutPost({ build, mode, getLoadContext }: Options) {
  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const singleFetch = req.path === DATA_PATH;
    if ((!singleFetch && req.path !== DOCUMENT_PATH) || !originMatchesHost(req)) return next();
    answer(req, res, next, singleFetch).catch(next);
  };

  async function answer(req: express.Request, res: express.Response, next: express.NextFunction, singleFetch: boolean) {
    const current = typeof build === "function" ? await build() : build;
    const route = current.routes[ROUTE_ID];
    const action = route?.module.action;
    // What Remix would add to these answers, this handler would not: such a build is served by Remix alone.
    const plain = !current.entry.module.handleDataRequest && !route?.module.headers && !current.routes.root?.module.headers;
    if (!action || !plain || !current.future.v3_singleFetch) return next();

    const original = createRemixRequest(req, res);
    let request = original;
    if (singleFetch) {
      const url = new URL(original.url);
      url.pathname = DOCUMENT_PATH;
      request = new Request(url, {
        method: "POST",
        body: original.body,
        headers: original.headers,
        signal: original.signal,
        duplex: "half",
      } as RequestInit);
    }
    const context = getLoadContext(req, res);
    let outcome: CheckoutOutcome;
    try {
      outcome = { value: await action({ request, params: {}, context }) };
    } catch (thrown) {
      outcome = { thrown };
    }

    if ("value" in outcome) {
      const { value } = outcome;
      if (singleFetch && isRedirect(value)) {
        const redirect = getSingleFetchRedirect(value.status, locationOnly(value), current.basename);
        return send(res, redirect, SINGLE_FETCH_REDIRECT_STATUS, locationOnly(value), original, current, mode);
      }
      if (singleFetch && isDataWithInit(value) && !value.init?.headers) {
        return send(res, { data: value.data }, value.init?.status ?? 200, new Headers(), original, current, mode);
      }
      if (!singleFetch && isRedirect(value)) {
        return sendRemixResponse(res, new Response(null, { status: value.status, headers: locationOnly(value) }));
      }
    }
    res.locals.checkoutOutcome = outcome;
    next();
  }
}

/** Remix keeps only the Location of an action's redirect. */
const locationOnly = (response: Response) => new Headers({ Location: response.headers.get("Location")! });

/** A single-fetch answer as Remix writes it: the value in turbo-stream, marked as Remix's own answer. */
async function send(
  res: express.Response,
  result: unknown,
  status: number,
  headers: Headers,
  request: Request,
  build: ServerBuild,
  mode: Options["mode"],
) {
  headers.set("X-Remix-Response", "yes");
  headers.set("Content-Type", "text/x-script");
  const body = encodeViaTurboStream(result, request.signal, build.entry.module.streamTimeout, mode as ServerMode);
  await sendRemixResponse(res, new Response(body, { status, headers }));
}
