import path from "node:path";
import zlib from "node:zlib";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { gzipAsync } from "@gfx/zopfli";
import { defineConfig, type PluginOption } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// The browser's chunks are grouped so that a page downloads a handful of files instead of twenty: gzip compresses each
// file on its own, and a page's twenty small files weighed ~4 KB more than the same code in one (issue 11 holds every
// page under 100 KB of gzipped JS; scripts/bundle-size.ts measures it). What every page runs goes with React and Remix;
// conform goes in one chunk that only pages with a form load; zod and the schemas stay lazy (lazy-validation.ts).
const EVERY_PAGE = [
  "/node_modules/react/",
  "/node_modules/react-dom/",
  "/node_modules/scheduler/",
  "/node_modules/@remix-run/",
  "/node_modules/react-router/",
  "/node_modules/react-router-dom/",
  "/node_modules/turbo-stream/",
  "/node_modules/rosetta/",
  "/node_modules/dlv/",
  "/app/entry.client.tsx",
  "/app/i18n/i18n.ts",
  "/app/i18n/react.tsx",
  "/app/i18n/areas/errors.ts",
  "/app/components/error-page.tsx",
  "/app/components/page.tsx",
  "/app/components/forms.tsx",
  "/app/components/row-action.tsx",
  "/app/components/pagination.tsx",
  "/app/domain/households/kinds.ts",
  "/app/domain/money.ts",
  "/app/utils/meta.ts",
  "/app/utils/dates.ts",
];
const FORM_PAGES = [
  "/node_modules/@conform-to/react/",
  "/node_modules/@conform-to/dom/",
  "/app/utils/form-constraints.ts",
  "/app/utils/lazy-validation.ts",
  "vite/preload-helper",
];

function clientChunk(id: string) {
  if (EVERY_PAGE.some((part) => id.includes(part))) return "framework";
  if (FORM_PAGES.some((part) => id.includes(part))) return "forms";
  return undefined;
}

// The browser's files are compressed once, at build time, at the strongest settings; the server sends them as they are
// and compresses on the fly only what it renders. Brotli 11 for the browsers that ask for it (every one on HTTPS): on
// the fly, the server's Brotli 1 sent the shared chunk as 99 KB where Brotli 11 sends 75 KB. For gzip, the files of
// 20 KB and more (the chunk every page loads, conform, the stylesheet) go through zopfli, still gzip to a browser but
// ~3.5 % smaller than gzip -9, at ~40 ms of build per KB; the many small ones would cost seconds to save bytes.
const STATIC_TEXT = /\.(js|css|svg|json)$/;
const ZOPFLI_FROM_BYTES = 20_000;
function gzipStrongest(input: zlib.InputType) {
  const buffer = Buffer.from(input as Uint8Array);
  return buffer.length >= ZOPFLI_FROM_BYTES
    ? gzipAsync(buffer, { numiterations: 1 }).then(Buffer.from)
    : Promise.resolve(zlib.gzipSync(buffer, { level: 9 }));
}
const precompressed: PluginOption[] = [
  compression({ include: STATIC_TEXT, algorithms: [defineAlgorithm(gzipStrongest)], filename: "[path][base].gz", logLevel: "silent" }),
  compression({
    include: STATIC_TEXT,
    algorithms: [defineAlgorithm("brotliCompress", { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })],
    logLevel: "silent",
  }),
];

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [tailwindcss(), remix(remixConfig), isSsrBuild ? [] : precompressed],
  resolve: { alias: { "~": path.resolve("app") } },
  build: {
    target: "es2022",
    manifest: true,
    minify: "terser",
    terserOptions: { ecma: 2020, module: true, compress: { passes: 3 } },
    rollupOptions: { output: { manualChunks: isSsrBuild ? undefined : clientChunk } },
  },
  server: { port: 3000 },
}));
