// The minimal Remix app the benchmarks measure beside the shop: the shop's Remix settings (remix.config.js, the
// same future flags), no Tailwind, built into node_modules/.cache so nothing built lands in the tree.
import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "../../../remix.config.js";
import { FLOOR_BUILD_DIR } from "./paths";

export default defineConfig({
  plugins: [remix({ ...remixConfig, appDirectory: path.join(import.meta.dirname, "app"), buildDirectory: FLOOR_BUILD_DIR })],
  publicDir: false,
  build: { target: "es2022", emptyOutDir: true },
  logLevel: "error",
});
