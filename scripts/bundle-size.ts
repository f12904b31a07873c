// What each page makes a browser download in JavaScript before it works, gzipped: the client entry, every route
// module the page renders (root, layouts, the page itself) and all they import statically, read from the Vite manifest
// of the last build. A file's gzip is the one the server sends, written beside it by the build (vite.config.ts), and
// its Brotli (what browsers on HTTPS get) is reported beside it. Chunks loaded with import() later (zod for a form's validation) are not counted: the page is
// usable without them. `tsx scripts/bundle-size.ts` prints the table; tests/e2e/bundle-size.e2e.ts holds the budget.
import fs from "node:fs";
import path from "node:path";

type ViteChunk = { file: string; imports?: string[]; isEntry?: boolean; src?: string };
type RemixRoute = { id: string; parentId?: string; path?: string; index?: boolean; module: string; hasLoader: boolean };

export type PageWeight = { route: string; gzipBytes: number; brotliBytes: number; files: string[] };

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
  const sizeCache = new Map<string, number>();
  /** The precompressed file the server sends, or (a file too small to gain from it) the file itself. */
  const servedSize = (file: string, extension: "gz" | "br") => {
    const key = `${file}.${extension}`;
    let size = sizeCache.get(key);
    if (size === undefined) {
      const absolute = path.join(buildDir, "client", file);
      size = fs.existsSync(`${absolute}.${extension}`) ? fs.statSync(`${absolute}.${extension}`).size : fs.statSync(absolute).size;
      sizeCache.set(key, size);
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
      const total = (extension: "gz" | "br") => list.reduce((sum, file) => sum + servedSize(file, extension), 0);
      return { route: page.id, gzipBytes: total("gz"), brotliBytes: total("br"), files: list };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(6)} KB`;
  console.log("  gzip    Brotli   page");
  for (const page of pageJsWeights()) console.log(`${kb(page.gzipBytes)} ${kb(page.brotliBytes)}  ${page.route}`);
}
