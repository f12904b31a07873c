// Issue 17, point 1: every answer to a signed-in request is `Cache-Control: private, no-store` (pages, their data,
// exports, prints, posters, error pages alike), while an anonymous visitor's catalog pages keep their public
// caching. Each demo role walks the links of its consoles; every route module that answers GET must be reached.
import { readdirSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";

const baseUrl = inject("baseUrl");

// Pages the demo data links to nowhere (no order, receipt or ledger entry yet; share and trace links are printed)
// are asked for with an unknown id: their 404 read the session too.
const PEOPLE: { login: string; start: string[] }[] = [
  { login: "13800000001", start: ["/", "/account", "/orders", "/cart", "/checkout", "/orders/AS-0", "/g/0", "/trace/0"] },
  {
    login: "13800000002",
    start: [
      "/organizer",
      "/organizer/group-orders/new",
      "/organizer/group-orders/0/statement/0",
      "/organizer/group-orders/0/statement/0/xlsx",
    ],
  },
  {
    login: "13800000003",
    start: ["/coop", "/coop/products/new", "/coop/orders/0", "/coop/receipts/0", "/coop/settlements/0", "/coop/settlements/0/xlsx"],
  },
  { login: "13800000004", start: ["/team", "/team/households/new", "/team/households/0/ledger/0"] },
  { login: "admin@anshang.example", start: ["/admin"] },
  { login: "bureau@anshang.example", start: ["/bureau", "/bureau/export"] },
];

/**
 * Routes a signed-in walk does not reach by links: Stripe's webhook (POST only), sign-out and language (POSTs), the
 * pages for signed-out visitors (sign-in, registration, activation with a roster code), and the files named by a hash
 * of their bytes, the same for everyone (product photos; the pages' catalogs, checked below).
 */
const NOT_WALKED = new Set([
  "webhooks.stripe",
  "logout",
  "language",
  "$",
  "h.$token",
  "uploads.products.$file",
  "i18n.$file",
  "login",
  "register",
  "activate",
]);

/** A flat-routes file name as the URL paths it serves. */
function routePattern(file: string) {
  const segments = file.replace(/\.tsx$/, "").match(/(\[[^\]]*\]|[^.[\]])+/g)!;
  const parts = segments
    .filter((segment) => segment !== "_index" && !segment.startsWith("_"))
    .map((segment) =>
      segment
        .replace(/_$/, "")
        .replace(/\[([^\]]*)\]/g, (_, literal: string) => literal.replace(/\./g, "\\."))
        .replace(/^\$[A-Za-z]+/, "[^/]+"),
    );
  return new RegExp(`^/${parts.join("/")}$`.replace(/\/poster\/\\\.png/, "/poster\\.png"));
}

const routeFiles = readdirSync("app/routes")
  .filter((file) => file.endsWith(".tsx"))
  .map((file) => file.replace(/\.tsx$/, ""));

async function signIn(login: string) {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password: "anshang2026" }),
  });
  expect(response.status).toBe(302);
  return response.headers.get("Set-Cookie")!.split(";")[0]!;
}

function linksIn(html: string) {
  return [...html.matchAll(/href="(\/[^"#?]*)/g)]
    .map((match) => match[1]!)
    .filter((href) => !/^\/(assets|uploads|h)\//.test(href) && !/\.(css|js|ico|svg|woff2?)$/.test(href));
}

describe("answers that depend on the session", () => {
  it("are private, no-store on every route a signed-in person reaches; anonymous catalog pages stay public", async () => {
    const reached = new Set<string>();
    const wrong: string[] = [];
    for (const person of PEOPLE) {
      const cookie = await signIn(person.login);
      const queue = [...person.start];
      const seen = new Set(queue);
      const perPattern = new Map<string, number>();
      while (queue.length > 0) {
        const path = queue.shift()!;
        // A layout and its index page serve the same path; "new" also fits a page's `$id`.
        const routes = routeFiles.filter((file) => !NOT_WALKED.has(file) && routePattern(file).test(path));
        const route = routes.at(-1);
        if (route) {
          // Two pages of each route are enough; a console's long lists would otherwise make the walk slow.
          const visits = (perPattern.get(route) ?? 0) + 1;
          perPattern.set(route, visits);
          if (visits > 2) continue;
        }
        const response = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
        const cacheControl = response.headers.get("Cache-Control") ?? "";
        if (!/\bprivate\b/.test(cacheControl) || !/\bno-(store|cache)\b/.test(cacheControl)) {
          wrong.push(`${person.login} ${path} ${response.status}: ${cacheControl || "(none)"}`);
        }
        for (const served of routes) reached.add(served);
        if ((response.headers.get("Content-Type") ?? "").startsWith("text/html")) {
          for (const link of linksIn(await response.text())) {
            if (!seen.has(link)) {
              seen.add(link);
              queue.push(link);
            }
          }
        } else {
          await response.arrayBuffer();
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(routeFiles.filter((file) => !NOT_WALKED.has(file) && !reached.has(file))).toEqual([]);

    const anonymous = await fetch(`${baseUrl}/`);
    expect(anonymous.headers.get("Cache-Control")).toMatch(/^public\b/);

    // A page's catalog is the same file for everyone who reads that language and console, signed in or not.
    const cookie = await signIn("13800000003");
    const page = await fetch(`${baseUrl}/coop`, { headers: { Cookie: cookie } });
    const catalog = /^<([^>]+)>; rel=preload; as=fetch/.exec(page.headers.get("Link") ?? "")?.[1];
    expect(catalog).toMatch(/^\/i18n\/zh-cooperative\+receipts-[0-9a-f]{12}\.json$/);
    const file = await fetch(`${baseUrl}${catalog}`, { headers: { Cookie: cookie } });
    expect(file.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(Object.keys(await file.json())).toContain("cooperative");
  });
});
