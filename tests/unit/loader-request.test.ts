// patches/@remix-run+server-runtime+*.patch: every loader of a page request gets the very Request the server made,
// so what a request reads once (the session user, guards.server.ts) is read once, and no loader costs two copies
// of the Request. A URL carrying one of the parameters Remix strips still reaches loaders without it, as upstream.
import { createRequestHandler, type ServerBuild } from "@remix-run/server-runtime";
import { describe, expect, it } from "vitest";

function buildSeeing(seen: { route: string; request: Request }[]): ServerBuild {
  const loaderOf =
    (route: string) =>
    ({ request }: { request: Request }) => {
      seen.push({ route, request });
      return { route };
    };
  const route = (id: string, parentId: string | undefined, extra: object) => ({
    id,
    parentId,
    module: { default: () => null, loader: loaderOf(id) },
    ...extra,
  });
  const assetRoute = (id: string, parentId: string | undefined, extra: object) => ({
    id,
    parentId,
    module: `/${id}.js`,
    hasLoader: true,
    hasAction: false,
    hasClientLoader: false,
    hasClientAction: false,
    hasErrorBoundary: false,
    ...extra,
  });
  return {
    mode: "production",
    entry: { module: { default: async () => new Response("page") } },
    routes: {
      root: route("root", undefined, { path: "" }),
      "routes/_index": route("routes/_index", "root", { index: true }),
    },
    assets: {
      entry: { imports: [], module: "/entry.js" },
      routes: { root: assetRoute("root", undefined, { path: "" }), "routes/_index": assetRoute("routes/_index", "root", { index: true }) },
      url: "/manifest.js",
      version: "1",
    },
    basename: "/",
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_lazyRouteDiscovery: true,
      v3_singleFetch: true,
    },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

describe("the Request a loader gets", () => {
  it("is the same one for the root's and the page's loader, as the server made it", async () => {
    const seen: { route: string; request: Request }[] = [];
    const handle = createRequestHandler(buildSeeing(seen));
    const response = await handle(new Request("http://localhost/?q=peaches", { headers: { Cookie: "a=1" } }));
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.route).sort()).toEqual(["root", "routes/_index"]);
    expect(seen[0]!.request).toBe(seen[1]!.request);
    expect(seen[0]!.request.url).toBe("http://localhost/?q=peaches");
    expect(seen[0]!.request.headers.get("Cookie")).toBe("a=1");
  });

  it("leaves out Remix's own parameters, as upstream does", async () => {
    const seen: { route: string; request: Request }[] = [];
    const handle = createRequestHandler(buildSeeing(seen));
    await handle(new Request("http://localhost/?index&q=1"));
    expect(new Set(seen.map((s) => s.request.url))).toEqual(new Set(["http://localhost/?q=1"]));
  });
});
