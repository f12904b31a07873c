// npm run bench:catalog — what a page costs the server: the anonymous home page (served from the page cache) and
// the pages of a signed-in buyer (home, product, cart, checkout, an order), beside floors measured in the same
// run, each its own process: bare node:http serving the cached page's bytes, bare node:http + SELECT 1, an Express
// route + SELECT 1, and a minimal Remix app's page whose loader runs SELECT 1. Server CPU per request from /proc,
// requests/s and latency from the load generator's process; ≥ 5 rounds; the load average at each.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { request } from "undici";
import { watchBackends } from "./lib/database";
import { startDbCaller } from "./lib/db-callers";
import { createBuyers, createGroupOrder, createSku, createUnit, refillCarts, seedRefs } from "./lib/fixtures";
import { documentHeaders, startLoadGenerator } from "./lib/load-generator";
import { measureTargets, medianOf, printRatios, printTargets, ratio, type Target } from "./lib/measure";
import { benchRun, type Goal, numericOptions, printGoals, printNotCovered, printSetting, writeJson } from "./lib/run";
import { prepareShopDatabase } from "./lib/shop-database";
import { describeProcesses, printServerProblems, startFloor, startShop } from "./lib/servers";
import { fmt, pct } from "./lib/stats";

const options = numericOptions({
  samples: { env: "BENCH_SAMPLES", default: 5, help: "rounds over all targets" },
  duration: { env: "BENCH_DURATION", default: 5, help: "seconds per target per round" },
  warm: { env: "BENCH_WARM", default: 2, help: "seconds of warm-up per target before the first round" },
  connections: { env: "BENCH_CONNECTIONS", default: 32, help: "requests in flight" },
  sessions: { env: "BENCH_SESSIONS", default: 200, help: "signed-in buyers the requests rotate through" },
  workers: { env: "BENCH_WORKERS", default: 1, help: "app processes (server.ts --workers N)" },
});
// Another checkout of the shop, built and installed: its signed-in pages are measured in the same rounds, on the same
// database and buyers, so that a change is compared with what it changed under the same load.
const baselineDir = process.env.BENCH_BASELINE;

const PRODUCT = "/products/peaches";

await benchRun(
  `catalog benchmark: ${options.samples} rounds × ${options.duration} s per target, ${options.connections} connections, ${options.sessions} signed-in buyers`,
  async (run) => {
    const database = await prepareShopDatabase(run, "catalog");
    const url = database.url!;
    await printSetting(url);

    // Buyers of one unit with an open group order, each with one order placed (their order page) and one box in the cart.
    const { buyers, sku, groupOrderId } = await database.sql(async (sql) => {
      const refs = await seedRefs(sql);
      const unitId = await createUnit(sql, "CAT");
      const sku = await createSku(sql, refs, "CAT", 1_000_000);
      const groupOrderId = await createGroupOrder(sql, refs, "CAT", sku.id, unitId, null);
      return { buyers: await createBuyers(sql, "cat", options.sessions, unitId, sku), sku, groupOrderId };
    });
    const caller = await startDbCaller(url, 10);
    const placed = await caller.placeOrders({ userIds: buyers.map((b) => b.userId), groupOrderId, concurrency: 10 });
    await caller.stop();
    if (placed.won !== buyers.length) throw new Error(`placing the buyers' orders failed: ${placed.otherSamples.join("; ")}`);
    const orderNumbers = new Map<string, string>();
    await database.sql(async (sql) => {
      const { rows } = await sql.query<{ userId: string; number: string }>(
        `SELECT "userId", "number" FROM "Order" WHERE "groupOrderId" = $1`,
        [groupOrderId],
      );
      for (const row of rows) orderNumbers.set(row.userId, row.number);
      await refillCarts(sql, buyers, sku);
    });

    const shop = await startShop({ databaseUrl: url, dataDir: database.dataDir, logFile: run.logFile("shop"), workers: options.workers });
    run.defer(shop.stop);
    console.log(`app: ${describeProcesses(shop)}, NODE_ENV=production, request log on`);
    const baseline = baselineDir
      ? await startShop({
          databaseUrl: url,
          dataDir: database.dataDir,
          logFile: run.logFile("baseline"),
          cwd: baselineDir,
          name: "baseline",
        })
      : undefined;
    if (baseline) {
      run.defer(baseline.stop);
      console.log(`baseline: the shop of ${baselineDir}, started the same way beside it`);
    }

    const signedIn = await request(`${shop.baseUrl}/checkout`, { headers: documentHeaders(buyers[0]!.cookie) });
    await signedIn.body.dump();
    if (signedIn.statusCode !== 200)
      throw new Error(`a bench session cookie is not signed in: GET /checkout answered ${signedIn.statusCode}`);

    // The bare server answers with exactly the bytes (and encoding) the page cache gives an anonymous visitor.
    const pagesDir = path.join(run.dir, "pages");
    mkdirSync(pagesDir);
    await request(`${shop.baseUrl}/`, { headers: documentHeaders() }).then((r) => r.body.dump());
    const cached = await request(`${shop.baseUrl}/`, { headers: documentHeaders() });
    const cachedBytes = Buffer.from(await cached.body.arrayBuffer());
    const savedHeaders: Record<string, string> = { "content-type": String(cached.headers["content-type"]) };
    if (cached.headers["content-encoding"]) savedHeaders["content-encoding"] = String(cached.headers["content-encoding"]);
    writeFileSync(path.join(pagesDir, "home.json"), JSON.stringify({ headers: savedHeaders, base64: cachedBytes.toString("base64") }));

    const bare = await startFloor("bare", { databaseUrl: url, logFile: run.logFile("floor-bare"), pagesDir });
    run.defer(bare.stop);
    const express = await startFloor("express", { databaseUrl: url, logFile: run.logFile("floor-express") });
    run.defer(express.stop);
    const remix = await startFloor("remix", { databaseUrl: url, logFile: run.logFile("floor-remix") });
    run.defer(remix.stop);

    const get = (p: string, cookie?: string) => ({ method: "GET" as const, path: p, headers: documentHeaders(cookie) });
    const perBuyer = (page: (b: (typeof buyers)[number]) => string) => buyers.map((b) => get(page(b), b.cookie));
    const targets: Target[] = [
      { name: "floor: bare http, cached page bytes", server: bare, requests: [get("/page/home")], expect: [200] },
      { name: "floor: bare http + SELECT 1", server: bare, requests: [get("/select")], expect: [200] },
      { name: "floor: Express + SELECT 1", server: express, requests: [get("/express")], expect: [200] },
      { name: "floor: minimal Remix page", server: remix, requests: [get("/")], expect: [200] },
      { name: "shop: anonymous GET / (cache)", server: shop, requests: [get("/")], expect: [200] },
      { name: "shop: signed-in GET /", server: shop, requests: perBuyer(() => "/"), expect: [200] },
      { name: `shop: GET ${PRODUCT}`, server: shop, requests: perBuyer(() => PRODUCT), expect: [200] },
      { name: "shop: GET /cart", server: shop, requests: perBuyer(() => "/cart"), expect: [200] },
      { name: "shop: GET /checkout", server: shop, requests: perBuyer(() => "/checkout"), expect: [200] },
      {
        name: "shop: GET /orders/<number>",
        server: shop,
        requests: perBuyer((b) => `/orders/${orderNumbers.get(b.userId)}`),
        expect: [200],
      },
    ];
    const baselineOf = (name: string) => `baseline: ${name.slice("shop: ".length)}`;
    const shopPages = targets.slice(5);
    if (baseline) targets.push(...shopPages.map((t) => ({ ...t, name: baselineOf(t.name), server: baseline })));
    const generator = await startLoadGenerator();
    run.defer(generator.stop);
    const backends = await watchBackends(url);
    run.defer(backends.stop);
    console.log(`\nwarm-up ${options.warm} s per target, then ${options.samples} rounds (server CPU ms/request so far):`);
    const results = await measureTargets(generator, targets, {
      samples: options.samples,
      durationMs: options.duration * 1000,
      warmMs: options.warm * 1000,
      connections: options.connections,
      backends,
    });
    printTargets(results);
    printServerProblems([shop, bare, express, remix, ...(baseline ? [baseline] : [])]);

    const floor = "floor: minimal Remix page";
    const pages = shopPages.map((t) => t.name);
    const ratios = [
      ratio(results, "shop: anonymous GET / (cache)", "floor: bare http, cached page bytes"),
      ...pages.map((p) => ratio(results, p, floor)),
      ...(baseline ? pages.map((p) => ratio(results, p, baselineOf(p))) : []),
    ];
    printRatios(ratios);

    console.log("");
    const js = await homePageJs(shop.baseUrl);
    const signedInJs = await homePageJs(shop.baseUrl, buyers[0]!.cookie);
    for (const [who, j] of [
      ["anonymous", js],
      ["signed-in", signedInJs],
    ] as const) {
      console.log(
        `${who} home page client JS: ${j.files} files, ${(j.raw / 1024).toFixed(1)} KB, ${(j.gzipped / 1024).toFixed(1)} KB gzipped`,
      );
    }

    const cpu = (name: string) => medianOf(results.get(name)!, (s) => s.cpuMsPerRequest);
    const unexpected = [...results.values()].flat().reduce((n, s) => n + s.unexpected + s.errors, 0);
    const homeShare = ratios.find((r) => r.label.startsWith("shop: signed-in GET / vs"))!.rps.median;
    const goals: Goal[] = [
      { label: "every answer as expected (200)", value: `${unexpected} other answers`, goal: "0", met: unexpected === 0 },
      {
        label: "signed-in GET / server CPU",
        value: `${fmt(cpu("shop: signed-in GET /"))} ms`,
        goal: "≤ 3 ms",
        met: cpu("shop: signed-in GET /") <= 3,
      },
      ...pages.slice(1).map((name) => ({
        label: `${name.slice("shop: ".length)} server CPU`,
        value: `${fmt(cpu(name))} ms`,
        goal: "≤ 4 ms",
        met: cpu(name) <= 4,
      })),
      { label: "signed-in GET / requests/s vs the minimal Remix page", value: pct(homeShare), goal: "≥ 50 %", met: homeShare >= 0.5 },
      {
        label: "anonymous home page client JS",
        value: `${(js.gzipped / 1024).toFixed(1)} KB gzipped`,
        goal: "≤ 100 KB",
        met: js.gzipped <= 100 * 1024,
      },
    ];
    printGoals(goals);
    printNotCovered([
      "the browser's other requests: JS, CSS, images, and the `.data` requests of client-side navigation (document GETs only here)",
      "TLS, HTTP/2 and any proxy in front of the app; one client machine, no network between it and the server",
      "the database's own CPU beyond the backends of the benchmark database (WAL writer, checkpointer); PostgreSQL shares the two cores",
      "a cold server: every target is warmed up first; and a database this small (demo data plus the buyers) fits in memory",
      "the load average says how much other work shared the machine; CPU per request is steadier than requests/s under it",
    ]);
    writeJson(options.json, { bench: "catalog", options, results: Object.fromEntries(results), ratios, goals });
  },
);

/** The client JS a browser loads for the home page (module scripts and preloads), signed in with `cookie`. */
async function homePageJs(baseUrl: string, cookie?: string) {
  const html = await (await fetch(`${baseUrl}/`, { headers: cookie ? { cookie } : {} })).text();
  const sources = new Set<string>();
  for (const match of html.matchAll(/<(?:link[^>]+rel="modulepreload"[^>]+href|script[^>]+src)="([^"]+\.js)"/g)) sources.add(match[1]!);
  for (const match of html.matchAll(/import\("([^"]+\.js)"\)|import "([^"]+\.js)"/g)) sources.add((match[1] ?? match[2])!);
  let raw = 0;
  let gzipped = 0;
  for (const src of sources) {
    const body = Buffer.from(await (await fetch(new URL(src, baseUrl))).arrayBuffer());
    raw += body.length;
    gzipped += gzipSync(body, { level: 9 }).length;
  }
  return { files: sources.size, raw, gzipped };
}
