// The shop's production build as a child process on a fresh benchmark database, for benchmarks that only need it
// running (a browser's audit of its pages). The older, smaller interface over lib/servers.ts and lib/database.ts;
// the request-measuring benchmarks use those directly.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startShop } from "./lib/servers";

export { ADMIN_URL, createBenchDatabase } from "./lib/database";

export async function startAppServer(databaseUrl: string, env: Record<string, string> = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "anshang-bench-"));
  const shop = await startShop({ databaseUrl, dataDir, logFile: path.join(dataDir, "shop.log"), env: { LOG_REQUESTS: "false", ...env } });
  return {
    baseUrl: shop.baseUrl,
    /** What the server printed lately (its errors, when a benchmark gets answers it did not expect). */
    output: () => shop.logTail(20_000),
    stop: async () => {
      await shop.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
