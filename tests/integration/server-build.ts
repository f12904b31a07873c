// A Remix server build put together in a test from the shop's own modules, wrapped as server.ts wraps the real one:
// for tests that serve it with Express, Remix alone beside a handler of the shop's in front of Remix.
import type { ServerBuild } from "@remix-run/node";
import { withDomainErrorResponses } from "~/utils/domain-responses.server";
import { namingRoutes } from "~/utils/logger.server";

export function testServerBuild({
  entry,
  routes,
  manifestRoutes = {},
}: {
  /** The document entry's module (app/entry.server.tsx, or a stub). */
  entry: unknown;
  routes: Record<string, { id: string; parentId?: string; path?: string; index?: boolean; module: unknown }>;
  /** What the browser's manifest says of each route, for an entry that renders scripts. */
  manifestRoutes?: Record<string, unknown>;
}): ServerBuild {
  return namingRoutes(
    withDomainErrorResponses({
      mode: "production",
      basename: undefined,
      publicPath: "/",
      assetsBuildDirectory: "build/client",
      isSpaMode: false,
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
      assets: { url: "/manifest.js", version: "1", entry: { module: "/entry.js", imports: [] }, routes: manifestRoutes },
      entry: { module: entry },
      routes,
    } as unknown as ServerBuild),
  );
}
