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

export default defineConfig({
  plugins: [tailwindcss(), remix(remixConfig)],
  resolve: { alias: { "~": path.resolve("app") } },
  build: { target: "es2022", manifest: true, minify: "terser", terserOptions: { ecma: 2020, compress: { passes: 2 } } },
  server: { port: 3000 },
});
