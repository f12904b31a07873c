// The parent's handle on a db-caller.ts process. The app's placeOrder and the hot-row ceiling each get their own.
import path from "node:path";
import { startChild } from "./child";
import type { CommitCostJob, DbJob, HotRowJob, PlaceOrdersJob, RaceResult } from "./db-caller";
import { SHOP_SECRETS } from "./servers";

export type { RaceResult } from "./db-caller";

export async function startDbCaller(databaseUrl: string, pool: number) {
  const child = await startChild<DbJob, unknown>(path.join(import.meta.dirname, "db-caller.ts"), {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    BENCH_POOL: String(pool),
    ...SHOP_SECRETS,
  });
  return {
    pid: child.pid,
    placeOrders: (job: Omit<PlaceOrdersJob, "kind">) => child.call({ kind: "placeOrders", ...job }) as Promise<RaceResult>,
    hotRow: (job: Omit<HotRowJob, "kind">) => child.call({ kind: "hotRow", ...job }) as Promise<RaceResult>,
    commitCost: (job: Omit<CommitCostJob, "kind">) =>
      child.call({ kind: "commitCost", ...job }) as Promise<{ p50: number; p90: number; p99: number }>,
    stop: child.stop,
  };
}
