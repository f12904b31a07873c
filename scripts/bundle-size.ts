// What each page makes a browser download in JavaScript before it works, gzipped: the client entry, every route
// module the page renders (root, layouts, the page itself) and all they import statically, read from the Vite manifest
// of the last build. Chunks loaded with import() later (zod for a form's validation) are not counted: the page is
// usable without them. `tsx scripts/bundle-size.ts` prints the table; tests/e2e/bundle-size.e2e.ts holds the budget.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

type ViteChunk = { file: string; imports?: string[]; isEntry?: boolean; src?: string };
type RemixRoute = { id: string; parentId?: string; path?: string; index?: boolean; module: string; hasLoader: boolean };

export type PageWeight = { route: string; gzipBytes: number; files: string[] };

export function pageJsWeights(buildDir = "build"): PageWeight[] {
  const vite: Record<string, ViteChunk> = JSON.parse(fs.readFileSync(path.join(buildDir, ".vite/client-manifest.json"), "utf8"));
  const assets = path.join(buildDir, "client/assets");
  const remixFile = fs.readdirSync(assets).find((name) => /^manifest-[\w-]+\.js$/.test(name));
  if (!remixFile) throw new Error(`No Remix manifest in ${assets}: run npm run build`);
  const remix: { entry: { module: string }; routes: Record<string, RemixRoute> } = JSON.parse(
    fs
      .readFileSync(path.join(assets, remixFile), "utf8")
      .replace(/^window\.__remixManifest=/, "")
      .replace(/;\s*$/, ""),
  );
  const byFile = new Map(Object.entries(vite).map(([key, chunk]) => [`/${chunk.file}`, key]));
  const gzipCache = new Map<string, number>();
  const gzipSize = (file: string) => {
    let size = gzipCache.get(file);
    if (size === undefined) {
      size = zlib.gzipSync(fs.readFileSync(path.join(buildDir, "client", file)), { level: 9 }).length;
      gzipCache.set(file, size);
    }
    return size;
  };
  const collect = (moduleUrl: string, files: Set<string>) => {
    const key = byFile.get(moduleUrl);
    if (!key) throw new Error(`${moduleUrl} is not in the Vite manifest`);
    const visit = (chunkKey: string) => {
      const chunk = vite[chunkKey];
      if (!chunk || files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    visit(key);
  };
  const pages = Object.values(remix.routes).filter((route) => {
    const hasChild = Object.values(remix.routes).some((other) => other.parentId === route.id);
    // Resource routes (downloads, images, webhooks) render no page: their client module is empty.
    return (
      !hasChild &&
      route.id !== "root" &&
      vite[byFile.get(route.module) ?? ""]?.file &&
      fs.readFileSync(path.join(buildDir, "client", route.module), "utf8").trim() !== ""
    );
  });
  return pages
    .map((page) => {
      const files = new Set<string>();
      collect(remix.entry.module, files);
      for (let route: RemixRoute | undefined = page; route; route = route.parentId ? remix.routes[route.parentId] : undefined) {
        collect(route.module, files);
      }
      const list = [...files];
      return { route: page.id, gzipBytes: list.reduce((sum, file) => sum + gzipSize(file), 0), files: list };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const page of pageJsWeights()) console.log(`${(page.gzipBytes / 1024).toFixed(1).padStart(6)} KB  ${page.route}`);
}
