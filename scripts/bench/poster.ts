// npm run bench:poster — how long the group-order poster takes, as an organizer gets it from the production build on
// a fresh PostgreSQL database with the demo data: the first Chinese poster of a fresh server (font files read and
// parsed, then drawn), the same poster again (from the cache), the first English one (drawn, fonts warm) and again,
// then BENCH_RUNS (9) more drawings after a price change each (always a miss); prints each time and the PNG sizes.
import { createBenchDatabase, startAppServer } from "./app-server";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const SESSION_SECRET = "bench-session-secret-0123456789abcdef";
process.env.SESSION_SECRET = SESSION_SECRET;
process.env.ID_HASH_KEY = "bench-id-hash-key-0123456789abcdefgh";

const database = await createBenchDatabase("poster");
const app = await startAppServer(database.url, { SESSION_SECRET });
try {
  const { configureDatabase, db, disconnectDatabase } = await import("~/db/client.server");
  const { createUserSession } = await import("~/auth/session.server");
  configureDatabase(database.url, { poolMax: 2 });
  const organizer = await db.user.findUniqueOrThrow({ where: { phone: "13800000002" } });
  const group = await db.groupOrder.findFirstOrThrow({ where: { organizerId: organizer.id }, include: { items: true } });
  const cookie = (await createUserSession(organizer.id, "/")).headers.get("Set-Cookie")!.split(";")[0]!;

  async function get(lang: "zh" | "en") {
    const started = performance.now();
    const response = await fetch(`${app.baseUrl}/organizer/group-orders/${group.id}/poster.png?lang=${lang}`, {
      headers: { Cookie: cookie },
    });
    const bytes = (await response.arrayBuffer()).byteLength;
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`poster ${lang}: ${response.status}\n${app.output()}`);
    return { ms, bytes, cache: response.headers.get("X-Poster-Cache") };
  }

  const line = (label: string, { ms, bytes, cache }: Awaited<ReturnType<typeof get>>) =>
    console.log(`${label.padEnd(40)} ${ms.toFixed(0).padStart(5)} ms   ${(bytes / 1024).toFixed(0).padStart(4)} KiB   cache ${cache}`);
  line("zh, first of a fresh server", await get("zh"));
  line("zh, again", await get("zh"));
  line("en, first", await get("en"));
  line("en, again", await get("en"));

  const sku = group.items[0]!.skuId;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await db.sku.update({ where: { id: sku }, data: { priceFen: { increment: 1 } } });
    samples.push((await get("zh")).ms);
  }
  samples.sort((a, b) => a - b);
  console.log(
    `zh, redrawn after a price change (${RUNS}×)`.padEnd(40),
    `min ${samples[0]!.toFixed(0)} ms   median ${samples[Math.floor(RUNS / 2)]!.toFixed(0)} ms   max ${samples.at(-1)!.toFixed(0)} ms`,
  );
  await disconnectDatabase();
} finally {
  await app.stop();
  await database.drop();
}
