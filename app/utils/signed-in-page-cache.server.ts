// A micro-cache for signed-in catalog pages (docs/decisions/0024-signed-in-page-cache.md). In a closing rush the
// employees of a handful of units open the same home page (their unit's open group orders and the catalog) and the
// same product pages. Between two employees of one unit with the same roles and language, a page differs only in
// the employee's id and name, the count of their cart and the request's CSP nonce. So a page is rendered once per
// unit, roles, language and (empty or not) cart within the TTL, with stand-ins for those four values, and every
// request gets that copy with its own values put in. The session is still read on every request: a signed-out or
// expired session never gets a copy.
import { randomBytes, randomInt } from "node:crypto";
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type express from "express";
import { getOptionalUser, presetUser, type SessionUser } from "~/auth/guards.server";
import { SESSION_COOKIE } from "~/auth/session.server";
import { getLocale } from "~/i18n/i18n.server";
import { pageCopies } from "./page-cache.server";
import { compilePageTemplate, fillPageTemplate, type PageTemplate } from "./page-template.server";

type Personal = "id" | "name" | "cartCount" | "nonce";

type CachedPage = { template: PageTemplate<Personal>; headers: [string, string][] };

type Options = {
  ttlMs: number;
  /**
   * The pages (by path; a request with a query is left to Remix) whose loaders show nothing of the user but the four
   * values above and what `copyKey` holds: the catalog pages (CATALOG_PAGES), tested as these are.
   */
  paths: RegExp;
  build: ServerBuild;
  mode: "production" | "development";
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext & { cspNonce: string };
};

/** Letters and digits only, so that no escaping changes them, and random per process, so that no real value is one. */
function standIns(): Record<Personal, string> {
  const token = randomBytes(12).toString("hex");
  return {
    id: `idstandin${token}`,
    name: `namestandin${token}`,
    cartCount: String(randomInt(1e11, 2 ** 47)),
    nonce: `noncestandin${token}`,
  };
}

const sessionCookie = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=`);

/** Everything that selects the copy: what the page's loaders read of the user besides the stand-ins. */
function copyKey(url: string, locale: string, user: SessionUser) {
  return [url, locale, user.unitId ?? "", user.villageId ?? "", user.roles.join(","), user.cartCount > 0 ? "cart" : "no cart"].join("\n");
}

/** The user the copy is rendered for: the same unit, village, roles and (empty or not) cart; nothing else of theirs. */
function standInUser(user: SessionUser, stand: Record<Personal, string>): SessionUser {
  return { ...user, id: stand.id, name: stand.name, phone: null, email: null, cartCount: user.cartCount > 0 ? Number(stand.cartCount) : 0 };
}

/**
 * The Express handler for the signed-in pages in `paths`, in front of Remix. A request without a session cookie, or
 * whose session is no longer valid, is answered by Remix as before (with the session read once, on the same Request).
 * As the anonymous page cache: when a copy goes stale, one request renders a new one while the others are served
 * the stale copy; a page that does not render as a plain 200 is answered by Remix for the real user, and not kept.
 */
export function signedInPageCache({ ttlMs, paths, build, mode, getLoadContext }: Options) {
  const handle = createRequestHandler(build, mode);
  const stand = standIns();
  const copies = pageCopies<CachedPage>(ttlMs);

  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== "GET" || !paths.test(req.path) || req.originalUrl !== req.path || !sessionCookie.test(req.headers.cookie ?? ""))
      return next();
    answer(req, res).catch(next);
  };

  async function answer(req: express.Request, res: express.Response) {
    const request = createRemixRequest(req, res);
    const context = getLoadContext(req, res);
    // The root loader reads the same promise: a database that is down is its to report.
    const user = await getOptionalUser(request).catch(() => null);
    if (!user) return sendRemixResponse(res, await handle(request, context));

    const key = copyKey(req.originalUrl, await getLocale(request), user);
    let page: CachedPage | null | undefined = copies.servable(key);
    if (page) {
      res.setHeader("X-Page-Cache", "hit");
    } else {
      page = await render(key, request, context, user);
      if (!page) return sendRemixResponse(res, await handle(createRemixRequest(req, res), context));
    }
    res.status(200);
    for (const [name, value] of page.headers) res.setHeader(name, value);
    const body = Buffer.from(
      fillPageTemplate(page.template, { id: user.id, name: user.name, cartCount: String(user.cartCount), nonce: context.cspNonce }),
    );
    res.setHeader("Content-Length", body.length);
    res.end(body);
  }

  async function render(key: string, request: Request, context: AppLoadContext, user: SessionUser) {
    const rendering = copies.render(key);
    try {
      presetUser(request, standInUser(user, stand));
      const response = await handle(request, { ...context, cspNonce: stand.nonce });
      const html = response.headers.get("Content-Type")?.startsWith("text/html") ? await response.text() : null;
      if (response.status !== 200 || response.headers.has("Set-Cookie") || html === null) return null;
      const headers = [...response.headers].filter(([name]) => name !== "content-length");
      const page: CachedPage = { template: compilePageTemplate(html, stand), headers };
      rendering.keep(page);
      return page;
    } finally {
      rendering.done();
    }
  }
}
