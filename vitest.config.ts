import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit tests need no database; every integration test file gets its own migrated one (tests/setup/database.ts):
// on PostgreSQL when TEST_DATABASE_URL is set, on an embedded PGlite otherwise. Separate projects, so that unit
// files do not pay for a database and running only them skips the template altogether.
export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    environment: "node",
    pool: "forks",
    // CI adds a JSON report so .ci/run can print one plain "N passed, N failed" line for the whole run.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results/vitest.json" },
    // Two cores: a third worker would only compete with PGlite or the PostgreSQL server for CPU.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      SESSION_SECRET: "test-session-secret-0123456789abcdef",
      ID_HASH_KEY: "test-id-hash-key-0123456789abcdefgh",
      LOG_REQUESTS: "false",
      LOG_LEVEL: "fatal",
      JOB_RETRY_DELAY_SECONDS: "0",
    },
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/database.ts"],
        },
      },
    ],
  },
});
