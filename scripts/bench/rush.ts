// npm run bench:rush — the closing rush end to end: BUYERS signed-in employees (sessions created beforehand) arrive
// evenly over ARRIVE seconds and each, as fast as the answers come, loads the home page, adds one box to the cart,
// loads the checkout page and places the order (the form posts as the browser sends them with JavaScript on:
// POST /cart.data, POST /checkout.data with the idempotency key the checkout page gave), for UNITS boxes of one SKU
// in an open group order (one box per person). Production settings, request log on; the load generator in its own
// process; sold, oversold and refused read back from the database. Then the same four steps one at a time for
// STEP_BUYERS more buyers, so each step's server CPU per request can be read from /proc on its own.
//   --workers N   app processes (passed to server.ts as --workers N; a server that ignores it runs one)
//   --embedded    on the embedded PGlite database (DATABASE_URL unset) instead of PostgreSQL: reported, no goal
import { watchBackends } from "./lib/database";
import { type Buyer, createBuyers, createGroupOrder, createSku, createUnit, readSold, seedRefs, type Sold } from "./lib/fixtures";
import { documentHeaders, formPostHeaders, startLoadGenerator, type LoadGenerator, type LoadResult, type Step } from "./lib/load-generator";
import { loadAverage } from "./lib/proc";
import { benchRun, type Goal, numericOptions, printGoals, printNotCovered, printSetting, writeJson } from "./lib/run";
import { prepareShopDatabase } from "./lib/shop-database";
import { describeProcesses, printServerProblems, type Shop, startShop } from "./lib/servers";
import { fmt, fmtSpread, spread } from "./lib/stats";

const options = numericOptions(
  {
    buyers: { env: "BUYERS", default: 2000, help: "buyers in each rush" },
    units: { env: "UNITS", default: 800, help: "boxes of the SKU in each rush" },
    samples: { env: "BENCH_SAMPLES", default: 5, help: "rushes (each on its own SKU, group order and buyers)" },
    "arrive-over": { env: "ARRIVE", default: 20, help: "seconds over which the buyers arrive, evenly" },
    connections: { env: "BENCH_CONNECTIONS", default: 256, help: "connections the load generator opens (requests beyond wait for one)" },
    "step-buyers": { env: "STEP_BUYERS", default: 500, help: "buyers for the one-step-at-a-time CPU figures (0: skip)" },
    "warm-buyers": { env: "WARM_BUYERS", default: 200, help: "buyers of the warm-up rush before the first sample" },
    workers: { env: "BENCH_WORKERS", default: 1, help: "app processes (server.ts --workers N)" },
  },
  { embedded: { type: "boolean" } },
);
const embedded = options.flags.embedded;
const samples = Math.max(1, options.samples);
const TIMEOUT_MS = 300_000;
const GOAL = { totalS: 30, p99Ms: 2000 };
const STEPS = ["home", "add to cart", "checkout page", "checkout"] as const;

type Rush = { code: string; skuId: string; groupOrderId: string; buyers: Buyer[]; units: number };
type StepCpu = Record<string, { cpuMsPerRequest: number; p50: number; p99: number }>;
type RushRow = {
  load1: number;
  totalMs: number;
  steps: Record<string, LoadResult>;
  cpuMsPerRequest: number;
  cpuMsPerBuyer: number;
  dbCpuMsPerRequest: number | null;
  generatorCpuMsPerRequest: number;
  stepCpu: StepCpu | null;
};

function steps(origin: string, rush: Rush): Step[] {
  const group = encodeURIComponent(`group:${rush.groupOrderId}`);
  return [
    { name: STEPS[0], method: "GET", path: "/", headers: documentHeaders("{{cookie}}"), expect: [200] },
    {
      name: STEPS[1],
      method: "POST",
      path: "/cart.data",
      headers: formPostHeaders(origin, "{{cookie}}"),
      body: `intent=add&skuId=${encodeURIComponent(rush.skuId)}&quantity=1`,
      // Remix's single fetch answers an action's redirect with 202 and the location in the body.
      expect: [202],
    },
    {
      name: STEPS[2],
      method: "GET",
      path: "/checkout",
      headers: documentHeaders("{{cookie}}"),
      expect: [200],
      extract: { idempotencyKey: 'name="idempotencyKey"[^>]*value="([0-9a-f-]{36})"|value="([0-9a-f-]{36})"[^>]*name="idempotencyKey"' },
    },
    {
      name: STEPS[3],
      method: "POST",
      path: "/checkout.data",
      headers: formPostHeaders(origin, "{{cookie}}"),
      body: `idempotencyKey={{idempotencyKey}}&fulfilment=${group}&paymentMethod=unit_settlement`,
      expect: [202, 409],
      marks: { sold: "/orders/AS" },
    },
  ];
}

const buyerValues = (rush: Rush) => rush.buyers.map((b) => ({ cookie: b.cookie }));

await benchRun(
  `rush benchmark: ${options.buyers} buyers arriving over ${options["arrive-over"]} s for ${options.units} boxes, ${samples} rush${samples === 1 ? "" : "es"}, ${embedded ? "embedded PGlite" : "PostgreSQL"}`,
  async (run) => {
    const database = await prepareShopDatabase(run, "rush", { embedded });
    await printSetting(database.url);
    const scale = (n: number) => Math.max(1, Math.round((n * options.units) / options.buyers));
    console.log("preparing buyers, SKUs and group orders…");
    const { warm, rushes, stepped } = await database.sql(async (sql) => {
      const refs = await seedRefs(sql);
      const prepare = async (code: string, buyers: number, units: number): Promise<Rush> => {
        const unitId = await createUnit(sql, code);
        const sku = await createSku(sql, refs, code, units);
        const groupOrderId = await createGroupOrder(sql, refs, code, sku.id, unitId, 1);
        return { code, skuId: sku.id, groupOrderId, buyers: await createBuyers(sql, code.toLowerCase(), buyers, unitId), units };
      };
      const warm = await prepare("WARM", options["warm-buyers"], scale(options["warm-buyers"]));
      const rushes: Rush[] = [];
      const stepped: Rush[] = [];
      for (let i = 1; i <= samples; i++) {
        rushes.push(await prepare(`RUSH${i}`, options.buyers, options.units));
        if (options["step-buyers"] > 0) stepped.push(await prepare(`STEP${i}`, options["step-buyers"], scale(options["step-buyers"])));
      }
      return { warm, rushes, stepped };
    });

    const shop = await startShop({
      databaseUrl: database.url ?? undefined,
      dataDir: database.dataDir,
      logFile: run.logFile("shop"),
      workers: options.workers,
    });
    let shopRunning = true;
    run.defer(async () => {
      if (shopRunning) await shop.stop();
    });
    console.log(`app: ${describeProcesses(shop)}, NODE_ENV=production, request log on`);
    console.log(
      `offered load: ${fmt(options.buyers / options["arrive-over"])} buyers/s (${fmt((4 * options.buyers) / options["arrive-over"])} requests/s) for ${options["arrive-over"]} s, ` +
        `${options.connections} connections; goal: all answered in ≤ ${GOAL.totalS} s, p99 ≤ ${GOAL.p99Ms / 1000} s per request, ${options.units} sold, 0 oversold`,
    );
    const generator = await startLoadGenerator();
    run.defer(generator.stop);
    const backends = database.url ? await watchBackends(database.url) : null;
    if (backends) run.defer(backends.stop);

    const rushOnce = async (rush: Rush) => {
      const load1 = loadAverage()[0];
      const dbBefore = await backends?.snapshot();
      const cpuBefore = shop.cpuMs();
      const result = await generator.buyers({
        origin: shop.baseUrl,
        scenario: rush.code,
        buyers: buyerValues(rush),
        steps: steps(shop.baseUrl, rush),
        stepIndexes: [0, 1, 2, 3],
        connections: options.connections,
        arrivalMs: (options["arrive-over"] * 1000 * rush.buyers.length) / options.buyers,
        timeoutMs: TIMEOUT_MS,
      });
      const cpuMs = shop.cpuMs() - cpuBefore;
      const dbCpuMs = backends && dbBefore ? backends.used(dbBefore, await backends.snapshot()) : null;
      return { load1, result, cpuMs, dbCpuMs };
    };

    console.log(`\nwarm-up rush: ${warm.buyers.length} buyers for ${warm.units} boxes`);
    const warmRun = await rushOnce(warm);
    console.log(`  ${describeRush(warmRun.result.steps, warm)}`);

    const rows: RushRow[] = [];
    for (const [i, rush] of rushes.entries()) {
      const { load1, result, cpuMs, dbCpuMs } = await rushOnce(rush);
      const requests = Object.values(result.steps).reduce((n, s) => n + s.answered, 0);
      const stepCpu = stepped[i] ? await oneStepAtATime(generator, shop, stepped[i]) : null;
      const row: RushRow = {
        load1,
        totalMs: Math.max(...Object.values(result.steps).map((s) => s.lastAnsweredMs)),
        steps: result.steps,
        cpuMsPerRequest: cpuMs / Math.max(1, requests),
        cpuMsPerBuyer: cpuMs / rush.buyers.length,
        dbCpuMsPerRequest: dbCpuMs === null ? null : dbCpuMs / Math.max(1, requests),
        generatorCpuMsPerRequest: result.generatorCpuMs / Math.max(1, requests),
        stepCpu,
      };
      rows.push(row);
      console.log(`\nrush ${i + 1}/${samples} (load ${load1.toFixed(2)} at its start, ${loadAverage()[0].toFixed(2)} at its end)`);
      console.log(`  ${describeRush(result.steps, rush)}`);
      console.log(
        `  all answered in ${fmt(row.totalMs / 1000)} s | server CPU ${fmt(row.cpuMsPerRequest)} ms/request, ${fmt(row.cpuMsPerBuyer)} ms/buyer` +
          `${row.dbCpuMsPerRequest === null ? "" : ` | db backends ${fmt(row.dbCpuMsPerRequest)} ms/request`} | load generator ${fmt(row.generatorCpuMsPerRequest)} ms/request`,
      );
      for (const name of STEPS) {
        const s = result.steps[name]!;
        console.log(
          `    ${name.padEnd(14)} p50 ${fmt(s.p50, 0).padStart(5)} ms  p99 ${fmt(s.p99, 0).padStart(5)} ms  max ${fmt(s.max, 0).padStart(5)} ms  ` +
            `${Object.entries(s.statuses)
              .map(([status, n]) => `${n}×${status}`)
              .join(" ")}${s.errors ? ` ${s.errors} unanswered` : ""}` +
            (stepCpu ? ` | one step at a time: ${fmt(stepCpu[name]!.cpuMsPerRequest)} ms CPU/request` : ""),
        );
        for (const sample of s.samples) console.log(`      unexpected answer: ${sample.replace(/\s+/g, " ").slice(0, 300)}`);
      }
    }

    printServerProblems([shop]);
    await shop.stop();
    shopRunning = false;
    const sold: Sold[] = await database.sql(async (sql) => {
      const found = [];
      for (const rush of rushes) found.push(await readSold(sql, rush.skuId, rush.groupOrderId));
      return found;
    });

    console.log(`\n${samples} rush${samples === 1 ? "" : "es"} (min / median / max):`);
    console.log(
      `  all answered in ${fmtSpread(spread(rows.map((r) => r.totalMs / 1000)))} s; load average (1 min) at each start: ${rows.map((r) => r.load1.toFixed(2)).join(", ")}`,
    );
    console.log(
      `  server CPU ${fmtSpread(spread(rows.map((r) => r.cpuMsPerRequest)))} ms/request, ${fmtSpread(spread(rows.map((r) => r.cpuMsPerBuyer)))} ms/buyer` +
        (backends ? ` | db backends ${fmtSpread(spread(rows.map((r) => r.dbCpuMsPerRequest ?? NaN)))} ms/request` : ""),
    );
    for (const name of STEPS) {
      const per = (pick: (s: LoadResult) => number) => spread(rows.map((r) => pick(r.steps[name]!)));
      const cpu = rows[0]?.stepCpu
        ? ` | CPU one step at a time ${fmtSpread(spread(rows.map((r) => r.stepCpu![name]!.cpuMsPerRequest)))} ms/request`
        : "";
      console.log(
        `  ${name.padEnd(14)} p50 ${fmtSpread(
          per((s) => s.p50),
          0,
        )} ms | p99 ${fmtSpread(
          per((s) => s.p99),
          0,
        )} ms${cpu}`,
      );
    }
    for (const [i, s] of sold.entries()) {
      const checkout = rows[i]!.steps[STEPS[3]]!;
      console.log(
        `  rush ${i + 1} in the database: sold ${s.sold} in ${s.orders} orders, allocated ${s.allocated} of ${s.received}, oversold ${s.oversold}, ` +
          `over the per-person limit ${s.overLimit}, lot mismatches ${s.allocationMismatch} | answers: ${checkout.marks.sold?.count ?? 0} sold, ${checkout.statuses["409"] ?? 0} refused`,
      );
    }

    const unanswered = rows.reduce((n, r) => n + Object.values(r.steps).reduce((m, s) => m + s.errors + s.unexpected, 0), 0);
    const total = spread(rows.map((r) => r.totalMs / 1000));
    const worstP99 = Math.max(...STEPS.map((name) => spread(rows.map((r) => r.steps[name]!.p99)).median));
    const soldShort = sold.filter((s) => s.sold !== options.units).length;
    const oversold = sold.reduce((n, s) => n + s.oversold + s.overLimit + s.allocationMismatch, 0);
    const met = (ok: boolean) => (embedded ? null : ok);
    const goals: Goal[] = [
      { label: `every request answered as expected`, value: `${unanswered} not`, goal: "0", met: met(unanswered === 0) },
      {
        label: `all ${options.buyers} buyers answered`,
        value: `in ${fmt(total.median)} s`,
        goal: `≤ ${GOAL.totalS} s`,
        met: met(total.median <= GOAL.totalS),
      },
      {
        label: "p99 per request, worst step",
        value: `${fmt(worstP99, 0)} ms`,
        goal: `≤ ${GOAL.p99Ms} ms`,
        met: met(worstP99 <= GOAL.p99Ms),
      },
      { label: "sold", value: `${sold.map((s) => s.sold).join(", ")}`, goal: `${options.units} in every rush`, met: met(soldShort === 0) },
      { label: "oversold (or over the limit, or lots not matching)", value: String(oversold), goal: "0", met: met(oversold === 0) },
    ];
    printGoals(goals);
    printNotCovered([
      "the browser's other requests: JS, CSS and images, and the `.data` GET a browser makes after each redirect (the product page after adding, the order page after paying)",
      "think time: each buyer sends the next request as soon as the last is answered; arrivals are evenly spaced, not bursty",
      "each rush's buyers belong to one unit invited to one group order; card payments (Stripe) are not exercised: unit settlement only",
      "TLS, HTTP/2 and any proxy in front of the app; one client machine, no network",
      embedded
        ? "the embedded database runs inside the app process: its CPU is the server's"
        : "PostgreSQL's CPU beyond the benchmark database's backends (WAL writer, checkpointer); it shares the two cores with the app and the load generator",
      "the one-step-at-a-time CPU figures come from other buyers of the same size of rush, run step by step right after each rush, not from the rush itself",
    ]);
    writeJson(options.json, { bench: "rush", options, rows, sold, goals });
  },
);

/** The answers of one rush, in a line: how many of each step, and what checkout said. */
function describeRush(steps: Record<string, LoadResult>, rush: Rush) {
  const checkout = steps[STEPS[3]]!;
  const extracted = steps[STEPS[2]]!.marks["extracted idempotencyKey"]?.count ?? 0;
  return (
    `${rush.buyers.length} buyers: ${STEPS.map((name) => `${name} ${steps[name]!.answered}`).join(", ")} answered; ` +
    `checkout: ${checkout.marks.sold?.count ?? 0} sold, ${checkout.statuses["409"] ?? 0} told sold out, ${checkout.unexpected + checkout.errors} other; ` +
    `idempotency key taken from the checkout page for ${extracted}`
  );
}

/** The four steps for every buyer of `rush`, one step at a time (all buyers at once): server CPU per request of each. */
async function oneStepAtATime(generator: LoadGenerator, shop: Shop, rush: Rush) {
  const perStep: StepCpu = {};
  for (const [index, name] of STEPS.entries()) {
    const before = shop.cpuMs();
    const result = await generator.buyers({
      origin: shop.baseUrl,
      scenario: rush.code,
      buyers: buyerValues(rush),
      steps: steps(shop.baseUrl, rush),
      stepIndexes: [index],
      connections: options.connections,
      arrivalMs: 0,
      timeoutMs: TIMEOUT_MS,
    });
    const step = result.steps[name]!;
    perStep[name] = { cpuMsPerRequest: (shop.cpuMs() - before) / Math.max(1, step.answered), p50: step.p50, p99: step.p99 };
  }
  return perStep;
}
