import path from "node:path";
import { defineConfig } from "vitest/config";

// End-to-end journeys: one built app server for the run (global-setup.ts), a real Chromium per test file.
export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    environment: "node",
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results/e2e.json" },
    pool: "forks",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
