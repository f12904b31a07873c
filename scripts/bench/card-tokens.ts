// Does the household card page (/h/<token>) tell tokens apart by time? Against the production build on a fresh
// PostgreSQL database with the demo data: a live card's token, the token of a card since replaced, a random unknown
// token, the live token with its last character changed (the guess a timing attack refines) and the live token cut
// short, BENCH_TRIES (200) requests each, interleaved in a shuffled order, each from its own address (X-Forwarded-For
// with TRUST_PROXY) so the page's rate limit never answers instead. Prints each kind's median, mean and p95 and, for
// every 404 kind against the unknown token, Welch's t statistic: |t| < 2 is no difference measurable beyond noise.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { createBenchDatabase, startAppServer } from "./app-server";

const TRIES = Number(process.env.BENCH_TRIES ?? 200);

const token = () => randomBytes(32).toString("base64url");
const hash = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (samples.length - 1);
  return {
    median: sorted[Math.floor(sorted.length / 2)]!,
    p95: sorted[Math.floor(sorted.length * 0.95)]!,
    mean,
    variance,
    n: samples.length,
  };
}

function welch(a: ReturnType<typeof stats>, b: ReturnType<typeof stats>) {
  return (a.mean - b.mean) / Math.sqrt(a.variance / a.n + b.variance / b.n);
}

async function main() {
  const database = await createBenchDatabase("cards");
  const server = await startAppServer(database.url, { TRUST_PROXY: "true" });
  const client = new pg.Client({ connectionString: database.url });
  try {
    await client.connect();
    const { rows } = await client.query<{ id: string }>(`SELECT "id" FROM "Household" ORDER BY "code" LIMIT 2`);
    const [live, replaced] = [token(), token()];
    // Two cards as the team would issue them; the second household's first card was then replaced.
    await client.query(`INSERT INTO "HouseholdCard" ("householdId", "tokenHash") VALUES ($1, $2), ($3, $4)`, [
      rows[0]!.id,
      hash(live),
      rows[1]!.id,
      hash(replaced),
    ]);
    await client.query(`UPDATE "HouseholdCard" SET "tokenHash" = $2 WHERE "householdId" = $1`, [rows[1]!.id, hash(token())]);
    const kinds: Record<string, { token: string; status: number }> = {
      "live card": { token: live, status: 200 },
      "replaced card": { token: replaced, status: 404 },
      "unknown token": { token: token(), status: 404 },
      "live token, last character changed": { token: `${live.slice(0, -1)}${live.endsWith("A") ? "B" : "A"}`, status: 404 },
      "live token cut to 20 characters": { token: live.slice(0, 20), status: 404 },
    };
    const order = Object.keys(kinds).flatMap((kind) => Array.from({ length: TRIES }, () => kind));
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const request = (kind: string, n: number) =>
      fetch(`${server.baseUrl}/h/${kinds[kind]!.token}`, { headers: { "X-Forwarded-For": `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}` } });
    // Warm-up: the first requests of a process pay for its caches, whichever token they carry.
    for (let n = 0; n < 20; n++) await (await request(Object.keys(kinds)[n % 5]!, 60_000 + n)).arrayBuffer();
    const samples = new Map<string, number[]>(Object.keys(kinds).map((kind) => [kind, []]));
    for (const [n, kind] of order.entries()) {
      const started = performance.now();
      const response = await request(kind, n);
      await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.status !== kinds[kind]!.status) throw new Error(`${kind}: ${response.status}\n${server.output()}`);
      samples.get(kind)!.push(elapsed);
    }
    const unknown = stats(samples.get("unknown token")!);
    console.log(`${TRIES} requests per kind, shuffled, each from its own address`);
    for (const [kind, times] of samples) {
      const s = stats(times);
      const versus = kind === "unknown token" ? "" : `   t vs unknown ${welch(s, unknown).toFixed(2).padStart(6)}`;
      console.log(
        `${kind.padEnd(38)} ${String(kinds[kind]!.status)}   median ${s.median.toFixed(2).padStart(6)} ms   mean ${s.mean.toFixed(2).padStart(6)} ms   p95 ${s.p95.toFixed(2).padStart(6)} ms${versus}`,
      );
    }
  } finally {
    await client.end();
    await server.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
