// Stripe's API and hosted Checkout page for the browser journeys. The app server under test is another process,
// so msw cannot reach it; it is pointed here with STRIPE_API_BASE instead. "Paying" sends the app a correctly
// signed checkout.session.completed, as Stripe would, before sending the browser back to success_url.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeStripeAccount, signedEvent, type FakeSession } from "../mocks/stripe";

export type FakeStripe = { url: string; account: FakeStripeAccount; close: () => Promise<void> };

async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function reply(response: ServerResponse, status: number, body: string, type = "application/json") {
  response.writeHead(status, { "Content-Type": `${type}; charset=utf-8` }).end(body);
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function payPage(session: FakeSession) {
  const amount = `${session.currency.toUpperCase()} ${(session.amount_total / 100).toFixed(2)}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head><body>
<h1>Fake Stripe Checkout</h1><p>Order ${escapeHtml(session.metadata.orderNumber ?? "")}: ${escapeHtml(amount)}</p>
<form method="post"><button type="submit">Pay</button></form><p><a href="${escapeHtml(session.cancel_url)}">Cancel</a></p></body></html>`;
}

export async function startFakeStripe(options: { webhookUrl: string; webhookSecret: string }): Promise<FakeStripe> {
  let origin = "";
  const account = new FakeStripeAccount((id) => `${origin}/pay/${id}`);

  async function pay(session: FakeSession, response: ServerResponse) {
    const { body, signature } = signedEvent("checkout.session.completed", account.complete(session.id), { secret: options.webhookSecret });
    const delivered = await fetch(options.webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Stripe-Signature": signature },
      body,
    });
    if (!delivered.ok)
      return reply(response, 502, `The shop answered the webhook with ${delivered.status}: ${await delivered.text()}`, "text/plain");
    response.writeHead(303, { Location: session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id) }).end();
  }

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const { pathname } = new URL(request.url ?? "/", origin);
      const body = await readBody(request);
      if (request.method === "POST" && pathname === "/v1/checkout/sessions") {
        const answer = account.createSession(body, request.headers["idempotency-key"]?.toString() ?? null);
        return reply(response, answer.status, JSON.stringify(answer.json));
      }
      if (request.method === "POST" && pathname === "/v1/refunds") {
        const answer = account.createRefund(body, request.headers["idempotency-key"]?.toString() ?? null);
        return reply(response, answer.status, JSON.stringify(answer.json));
      }
      const apiId = /^\/v1\/checkout\/sessions\/([\w-]+)$/.exec(pathname)?.[1];
      if (request.method === "GET" && apiId) {
        const answer = account.retrieveSession(apiId);
        return reply(response, answer.status, JSON.stringify(answer.json));
      }
      const expireId = /^\/v1\/checkout\/sessions\/([\w-]+)\/expire$/.exec(pathname)?.[1];
      if (request.method === "POST" && expireId) {
        const answer = account.expireSession(expireId);
        return reply(response, answer.status, JSON.stringify(answer.json));
      }
      const payId = /^\/pay\/([\w-]+)$/.exec(pathname)?.[1];
      const session = payId ? account.sessions.get(payId) : undefined;
      if (session?.status === "open" && request.method === "GET") return reply(response, 200, payPage(session), "text/html");
      if (session?.status === "open" && request.method === "POST") return await pay(session, response);
      reply(response, 404, "Not found", "text/plain");
    } catch (error) {
      reply(response, 500, String(error), "text/plain");
    }
  };
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    account,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The Stripe SDK in the app keeps connections alive; they must not hold the run open.
        server.closeAllConnections();
      }),
  };
}
