import path from "node:path";
import { defineConfig } from "vitest/config";

// Unit and integration tests. Every test file gets its own migrated database (tests/setup/database.ts):
// on PostgreSQL when TEST_DATABASE_URL is set, on an embedded PGlite otherwise.
export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/database.ts"],
    environment: "node",
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      SESSION_SECRET: "test-session-secret-0123456789abcdef",
      ID_HASH_KEY: "test-id-hash-key-0123456789abcdefgh",
      LOG_REQUESTS: "false",
    },
  },
});
