import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
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

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [tailwindcss(), remix(remixConfig)],
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
