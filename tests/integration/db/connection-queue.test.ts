// The embedded database has one connection: under contention requests queue for it (issue 17, point 8: on a busy
// machine pg-pool's 5 s connect timeout failed checkouts that were only waiting), and the queue is bounded.
import { afterEach, describe, expect, it } from "vitest";
import { createPool, databasePool, DatabaseBusyError } from "~/db/client.server";
import { EMBEDDED_POOL } from "~/db/embedded.server";

const url = (databasePool().options as { connectionString: string }).connectionString;
const pools: ReturnType<typeof createPool>[] = [];

function pool(options = EMBEDDED_POOL) {
  const created = createPool(url, options);
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

describe("the embedded database's connection queue", () => {
  it("keeps a request waiting for the one connection longer than pg-pool's usual connect timeout", async () => {
    const embedded = pool();
    const held = await embedded.connect();
    const waiting = embedded.query<{ n: number }>("SELECT 1 AS n");
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    held.release();
    await expect(waiting).resolves.toMatchObject({ rows: [{ n: 1 }] });
  });

  it("answers at once that the database is busy when the queue is full, and serves the queue in order", async () => {
    const embedded = pool({ ...EMBEDDED_POOL, maxWaiting: 2 });
    const held = await embedded.connect();
    const queued = [embedded.query("SELECT 1"), embedded.query("SELECT 2")];
    await expect(embedded.query("SELECT 3")).rejects.toBeInstanceOf(DatabaseBusyError);
    held.release();
    await expect(Promise.all(queued)).resolves.toHaveLength(2);
    await expect(embedded.query<{ n: number }>("SELECT 4 AS n")).resolves.toMatchObject({ rows: [{ n: 4 }] });
  });
});
