// A micro-cache for the public catalog pages: anonymous visitors (no cookie but the language one) of a page whose
// route said `Cache-Control: public` get the HTML rendered for that page and language within the last few seconds.
// A peach-season rush is thousands of phones opening the same two pages; rendering each once per TTL instead of
// once per request is what keeps those pages fast. Stock shown may be that many seconds old; checkout rechecks.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { NextFunction, Request, Response } from "express";

type CachedPage = { headers: Record<string, string>; body: Buffer; gzipped: Buffer; scriptHashes: string[] };

const MAX_ENTRIES = 500;

/** The catalog's pages, which both page caches serve: the home page and a product's page. */
export const CATALOG_PAGES = /^\/(products\/[^/.]+)?$/;

// The server entry and the Remix build each bundle their own copy of this module; keeping the caches' forget
// functions on globalThis is what lets an edit made inside the build reach the cache the entry mounted.
const forgetters = ((globalThis as { __anshangPageCaches?: Set<() => void> }).__anshangPageCaches ??= new Set());

/**
 * Drops this process's cached pages, for edits that change what the catalog shows (a product, a price, a photo).
 * Other servers behind the same load balancer keep theirs until the TTL runs out.
 */
export function forgetCachedPages() {
  for (const forget of forgetters) forget();
}

/**
 * The copies one page cache keeps, by key, each fresh for `ttlMs`. When a copy goes stale, the next request renders
 * a new one while the others keep getting the stale copy (stale-while-revalidate), so an expiry never sends a crowd
 * to the renderer at once. `forgetCachedPages` drops them all; a render that started before that may carry what the
 * edit changed, so it is sent but not kept.
 */
export function pageCopies<T>(ttlMs: number) {
  const copies = new Map<string, { value: T; freshUntil: number }>();
  const rendering = new Set<string>();
  let generation = 0;
  forgetters.add(() => {
    copies.clear();
    generation++;
  });
  return {
    /** The copy to serve now, if there is one: fresh, or stale while another request renders the next. */
    servable(key: string): T | undefined {
      const copy = copies.get(key);
      return copy && (copy.freshUntil > Date.now() || rendering.has(key)) ? copy.value : undefined;
    },
    /** A render of `key` begins: `keep` what it made, and say when it is `done`, kept or not. */
    render(key: string) {
      rendering.add(key);
      const renderedIn = generation;
      return {
        keep(value: T) {
          if (renderedIn !== generation) return;
          if (!copies.has(key) && copies.size >= MAX_ENTRIES) copies.delete(copies.keys().next().value!);
          copies.set(key, { value, freshUntil: Date.now() + ttlMs });
        },
        done: () => rendering.delete(key),
      };
    },
  };
}

function onlyLanguageCookie(cookieHeader: string | undefined) {
  if (!cookieHeader) return true;
  return cookieHeader.split(";").every((part) => part.trim().startsWith("lng="));
}

/**
 * The page's inline scripts carry the nonce of the request that rendered it; a copy served later must not reuse
 * that nonce, so cached copies are allowed their inline scripts by hash instead.
 */
function inlineScriptHashes(html: string) {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    hashes.add(`'sha256-${createHash("sha256").update(match[1]!).digest("base64")}'`);
  }
  return [...hashes];
}

function serve(req: Request, res: Response, page: CachedPage) {
  const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  res.status(200).set(page.headers).set("X-Page-Cache", "hit");
  if (gzip) res.set("Content-Encoding", "gzip");
  const csp = res.getHeader("Content-Security-Policy");
  if (typeof csp === "string") res.set("Content-Security-Policy", csp.replace(/'nonce-[^']+'/, page.scriptHashes.join(" ")));
  const body = gzip ? page.gzipped : page.body;
  res.set("Content-Length", String(body.length));
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * Serves fresh copies from memory; when a copy goes stale, the next request renders a new one while the others
 * keep getting the stale copy (stale-while-revalidate), so an expiry never sends a crowd to the renderer at once.
 * Mount it after compression, so it sees the page before compression does; copies are stored gzipped once and
 * served with Content-Encoding set, which compression leaves alone.
 */
export function anonymousPageCache({ ttlMs, paths }: { ttlMs: number; paths: RegExp }) {
  const copies = pageCopies<CachedPage>(ttlMs);

  return function pageCache(req: Request, res: Response, next: NextFunction) {
    if ((req.method !== "GET" && req.method !== "HEAD") || !paths.test(req.path) || !onlyLanguageCookie(req.headers.cookie)) return next();
    const key = `${req.originalUrl}\n${req.headers.cookie ?? ""}\n${req.headers["accept-language"] ?? ""}`;
    const page = copies.servable(key);
    if (page) return serve(req, res, page);

    const rendering = copies.render(key);
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return write(chunk, ...rest);
    }) as Response["write"];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== "function") chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      const cacheControl = String(res.getHeader("Cache-Control") ?? "");
      const type = String(res.getHeader("Content-Type") ?? "");
      if (res.statusCode === 200 && cacheControl.includes("public") && type.startsWith("text/html") && !res.getHeader("Set-Cookie")) {
        const body = Buffer.concat(chunks);
        const link = res.getHeader("Link");
        rendering.keep({
          headers: {
            "Content-Type": type,
            "Cache-Control": cacheControl,
            Vary: "Cookie, Accept-Language, Accept-Encoding",
            ...(link ? { Link: String(link) } : {}),
          },
          body,
          gzipped: gzipSync(body),
          scriptHashes: inlineScriptHashes(body.toString("utf8")),
        });
      }
      rendering.done();
      return end(chunk, ...rest);
    }) as Response["end"];
    res.on("close", rendering.done);
    next();
  };
}
