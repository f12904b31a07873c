// npm run bench:checkout — what buying costs, in one run on one machine:
//   1. form posts, closed loop, ≥ 5 rounds: the shop's add-to-cart (POST /cart.data) and its checkout refused right
//      after the session look-up (POST /checkout.data with a malformed key: 400), beside the minimal Remix app's
//      page action and resource route, an Express route and bare node:http, each reading the form and running SELECT 1
//   2. the checkout race over HTTP, ≥ 5 samples: N signed-in buyers with one box in their cart submit at once for
//      M boxes in an open group order; sold, oversold and refused read back from the database
//   3. placeOrder called directly (no HTTP) beside the hot-row ceiling, ≥ 5 rounds of ≥ 1,000 winners each
//   4. how long a winner holds the lots' locks (triggers on StockLot in the benchmark database, see lockHold())
// `npm run bench:place-order` (--only-direct) runs 3 and 4 alone.
import { randomUUID } from "node:crypto";
import { type BackendWatch, watchBackends, type Sql } from "./lib/database";
import { type RaceResult, startDbCaller } from "./lib/db-callers";
import {
  type Buyer,
  createBuyers,
  createGroupOrder,
  createSku,
  createUnit,
  emptyCarts,
  readSold,
  seedRefs,
  type SeedRefs,
  type Sold,
} from "./lib/fixtures";
import { formPostHeaders, startLoadGenerator, type LoadGenerator } from "./lib/load-generator";
import { measureTargets, medianOf, printRatios, printTargets, ratio, type Target } from "./lib/measure";
import { loadAverage } from "./lib/proc";
import { benchRun, type Goal, numericOptions, printGoals, printNotCovered, printSetting, writeJson } from "./lib/run";
import { prepareShopDatabase } from "./lib/shop-database";
import { describeProcesses, printServerProblems, type Server, startFloor, startShop } from "./lib/servers";
import { fmt, fmtSpread, pct, spread } from "./lib/stats";

const options = numericOptions(
  {
    samples: { env: "BENCH_SAMPLES", default: 5, help: "rounds of each measurement" },
    duration: { env: "BENCH_DURATION", default: 5, help: "seconds per form-post target per round" },
    warm: { env: "BENCH_WARM", default: 2, help: "seconds of warm-up per form-post target" },
    connections: { env: "BENCH_CONNECTIONS", default: 32, help: "requests in flight for the form posts" },
    // Enough that no buyer reaches the checkout's rate limit (30 submissions per 10 minutes) in all the rounds together:
    // at ~1,400 refusals/s a thousand buyers did, and 429s were measured instead of the refusal.
    "add-buyers": { env: "BENCH_ADD_BUYERS", default: 4000, help: "signed-in buyers the form posts rotate through" },
    buyers: { env: "BUYERS", default: 500, help: "buyers in each HTTP checkout race (all at once)" },
    units: { env: "UNITS", default: 200, help: "boxes in each HTTP checkout race" },
    "direct-units": { env: "BENCH_DIRECT_UNITS", default: 1000, help: "winners per placeOrder round" },
    "direct-buyers": { env: "BENCH_DIRECT_BUYERS", default: 1250, help: "callers per placeOrder round" },
    // A thousand updates pass in a quarter of a second on a quiet machine: too short a window to time steadily.
    "ceiling-updates": { env: "BENCH_CEILING_UPDATES", default: 5000, help: "updates per hot-row ceiling round (≥ 1,000)" },
    concurrency: { env: "BENCH_CONCURRENCY", default: 10, help: "placeOrder calls / ceiling updates in flight" },
    pool: { env: "BENCH_POOL", default: 10, help: "database connections of each caller (the app's default pool)" },
    "lock-units": { env: "BENCH_LOCK_UNITS", default: 300, help: "winners per lock-hold sample" },
    workers: { env: "BENCH_WORKERS", default: 1, help: "app processes (server.ts --workers N)" },
  },
  { "only-direct": { type: "boolean" } },
);
const onlyDirect = options.flags["only-direct"];
const ceilingUpdates = Math.max(1000, options["ceiling-updates"]);
const samples = Math.max(1, options.samples);

type Race = { code: string; skuId: string; groupOrderId: string; buyers: Buyer[]; units: number };

async function prepareRace(sql: Sql, refs: SeedRefs, code: string, buyerCount: number, units: number): Promise<Race> {
  const unitId = await createUnit(sql, code);
  const sku = await createSku(sql, refs, code, units);
  const groupOrderId = await createGroupOrder(sql, refs, code, sku.id, unitId, 1);
  return { code, skuId: sku.id, groupOrderId, buyers: await createBuyers(sql, code.toLowerCase(), buyerCount, unitId, sku), units };
}

/** One race per sample, prepared one after the other (one connection). */
async function prepareRaces(sql: Sql, refs: SeedRefs, prefix: string, buyerCount: number, units: number) {
  const races: Race[] = [];
  for (let i = 1; i <= samples; i++) races.push(await prepareRace(sql, refs, `${prefix}${i}`, buyerCount, units));
  return races;
}

const soldLine = (s: Sold) =>
  `sold ${s.sold} in ${s.orders} orders, allocated ${s.allocated} of ${s.received}, oversold ${s.oversold}, over the limit ${s.overLimit}, lot mismatches ${s.allocationMismatch}`;

await benchRun(
  onlyDirect
    ? `placeOrder benchmark: ${samples} rounds of ${options["direct-units"]} winners beside the hot-row ceiling, and the lots' lock hold`
    : `checkout benchmark: form posts (${samples} rounds × ${options.duration} s), ${samples} HTTP races of ${options.buyers} buyers for ${options.units} boxes, placeOrder direct vs the hot-row ceiling`,
  async (run) => {
    const database = await prepareShopDatabase(run, onlyDirect ? "place_order" : "checkout");
    const url = database.url!;
    await printSetting(url);

    console.log("preparing buyers, SKUs and group orders…");
    const fixtures = await database.sql(async (sql) => {
      const refs = await seedRefs(sql);
      const http = onlyDirect
        ? null
        : {
            form: await (async () => {
              const unitId = await createUnit(sql, "FORM");
              const sku = await createSku(sql, refs, "FORM", 1_000_000, { maxPerOrder: 1000 });
              const groupOrderId = await createGroupOrder(sql, refs, "FORM", sku.id, unitId, null);
              return { skuId: sku.id, groupOrderId, buyers: await createBuyers(sql, "form", options["add-buyers"], unitId) };
            })(),
            warmRace: await prepareRace(sql, refs, "RACE0", Math.ceil(options.buyers / 2), Math.ceil(options.units / 2)),
            races: await prepareRaces(sql, refs, "RACE", options.buyers, options.units),
          };
      const directBuyers = Math.max(options["direct-buyers"], options["direct-units"]);
      const warmDirect = await prepareRace(sql, refs, "DIR0", 300, 200);
      const direct = await prepareRaces(sql, refs, "DIR", directBuyers, options["direct-units"]);
      const lock = await prepareRaces(sql, refs, "LOCK", Math.ceil(options["lock-units"] * 1.25), options["lock-units"]);
      return { http, warmDirect, direct, lock };
    });

    const goals: Goal[] = [];
    const json: Record<string, unknown> = { bench: onlyDirect ? "place-order" : "checkout", options };

    if (fixtures.http) {
      const { form, warmRace, races } = fixtures.http;
      const shop = await startShop({ databaseUrl: url, dataDir: database.dataDir, logFile: run.logFile("shop"), workers: options.workers });
      run.defer(shop.stop);
      console.log(`app: ${describeProcesses(shop)}, NODE_ENV=production, request log on`);
      const bare = await startFloor("bare", { databaseUrl: url, logFile: run.logFile("floor-bare") });
      run.defer(bare.stop);
      const express = await startFloor("express", { databaseUrl: url, logFile: run.logFile("floor-express") });
      run.defer(express.stop);
      const remix = await startFloor("remix", { databaseUrl: url, logFile: run.logFile("floor-remix") });
      run.defer(remix.stop);
      const generator = await startLoadGenerator();
      run.defer(generator.stop);
      const backends = await watchBackends(url);
      run.defer(backends.stop);

      const post = (server: Server, path: string, body: string, cookie?: string) => ({
        method: "POST" as const,
        path,
        body,
        headers: formPostHeaders(server.baseUrl, cookie),
      });
      const addToCart = `intent=add&skuId=${encodeURIComponent(form.skuId)}&quantity=1`;
      const malformed = `idempotencyKey=not-a-uuid&fulfilment=${encodeURIComponent(`group:${form.groupOrderId}`)}&paymentMethod=unit_settlement`;
      const targets: Target[] = [
        { name: "floor: bare http + SELECT 1", server: bare, requests: [post(bare, "/select", "value=1")], expect: [200] },
        { name: "floor: Express + SELECT 1", server: express, requests: [post(express, "/express", "value=1")], expect: [200] },
        { name: "floor: minimal Remix resource route", server: remix, requests: [post(remix, "/resource", "value=1")], expect: [200] },
        { name: "floor: minimal Remix page action", server: remix, requests: [post(remix, "/form.data", "value=1")], expect: [200] },
        {
          name: "shop: POST /cart.data (add)",
          server: shop,
          requests: form.buyers.map((b) => post(shop, "/cart.data", addToCart, b.cookie)),
          // Remix's single fetch answers an action's redirect with 202 and the location in the body.
          expect: [202],
          beforeSample: () => database.sql((sql) => emptyCarts(sql, form.buyers)),
        },
        {
          name: "shop: POST /checkout.data refused",
          server: shop,
          requests: form.buyers.map((b) => post(shop, "/checkout.data", malformed, b.cookie)),
          expect: [400],
        },
      ];
      console.log(`\nform posts: warm-up ${options.warm} s per target, then ${samples} rounds (server CPU ms/request so far):`);
      const results = await measureTargets(generator, targets, {
        samples,
        durationMs: options.duration * 1000,
        warmMs: options.warm * 1000,
        connections: options.connections,
        backends,
      });
      printTargets(results);
      const ratios = [
        ratio(results, "shop: POST /cart.data (add)", "floor: minimal Remix page action"),
        ratio(results, "shop: POST /checkout.data refused", "floor: minimal Remix page action"),
        ratio(results, "floor: minimal Remix page action", "floor: Express + SELECT 1"),
      ];
      printRatios(ratios);
      const cpu = (name: string) => medianOf(results.get(name)!, (s) => s.cpuMsPerRequest);
      const unexpected = [...results.values()].flat().reduce((n, s) => n + s.unexpected + s.errors, 0);
      goals.push(
        { label: "form posts answered as expected", value: `${unexpected} other answers`, goal: "0", met: unexpected === 0 },
        {
          label: "POST add-to-cart server CPU",
          value: `${fmt(cpu("shop: POST /cart.data (add)"))} ms`,
          goal: "≤ 2 ms",
          met: cpu("shop: POST /cart.data (add)") <= 2,
        },
        {
          label: "checkout floor (refused after the session look-up) server CPU",
          value: `${fmt(cpu("shop: POST /checkout.data refused"))} ms`,
          goal: "≤ 2 ms",
          met: cpu("shop: POST /checkout.data refused") <= 2,
        },
      );
      json.formPosts = { results: Object.fromEntries(results), ratios };

      console.log(
        `\nHTTP checkout race: ${options.buyers} buyers at once for ${options.units} boxes (POST /checkout.data), ${samples} samples`,
      );
      const warm = await httpRace(generator, shop, warmRace, backends, database.sql);
      console.log(`  warm-up race: ${warm.line}`);
      const raceSamples = [];
      for (const [i, race] of races.entries()) {
        const sample = await httpRace(generator, shop, race, backends, database.sql);
        raceSamples.push(sample);
        console.log(`  sample ${i + 1}/${samples} (load ${sample.load1.toFixed(2)}): ${sample.line}`);
        console.log(`    ${soldLine(sample.sold)}`);
        for (const problem of sample.problems) console.log(`    unexpected answer: ${problem.replace(/\s+/g, " ").slice(0, 300)}`);
      }
      const ordersPerSecond = spread(raceSamples.map((s) => s.ordersPerSecond));
      console.log(
        `  orders/s ${fmtSpread(ordersPerSecond)} | server CPU ms/request ${fmtSpread(spread(raceSamples.map((s) => s.cpuMsPerRequest)))} | ` +
          `p50 ${fmtSpread(spread(raceSamples.map((s) => s.p50)), 0)} ms | p99 ${fmtSpread(spread(raceSamples.map((s) => s.p99)), 0)} ms | all answered in ${fmtSpread(spread(raceSamples.map((s) => s.elapsedMs)), 0)} ms`,
      );
      const raceOversold = raceSamples.reduce((n, s) => n + s.sold.oversold + s.sold.overLimit + s.sold.allocationMismatch, 0);
      const raceShort = raceSamples.filter((s) => s.sold.sold !== options.units || s.unanswered > 0).length;
      goals.push({
        label: "HTTP races: every box sold, none oversold, every buyer answered",
        value: `${raceOversold} oversold or inconsistent, ${raceShort} samples short`,
        goal: "0 and 0",
        met: raceOversold === 0 && raceShort === 0,
      });
      json.httpRace = raceSamples.map(({ problems: _problems, line: _line, ...s }) => s);
      (json as { httpRaceOrdersPerSecond?: number }).httpRaceOrdersPerSecond = ordersPerSecond.median;

      // The direct calls and the ceiling below measure the database path: no app server should be using the CPU then.
      printServerProblems([shop, bare, express, remix]);
      for (const server of [shop, bare, express, remix]) await server.stop();
    }

    const direct = await placeOrderBeside(fixtures.warmDirect, fixtures.direct, url, database.sql);
    goals.push(...direct.goals);
    json.direct = direct.json;
    if (typeof (json as { httpRaceOrdersPerSecond?: number }).httpRaceOrdersPerSecond === "number") {
      const share = (json as { httpRaceOrdersPerSecond: number }).httpRaceOrdersPerSecond / direct.ceilingMedian;
      goals.push({ label: "HTTP race orders/s vs the hot-row ceiling", value: pct(share), goal: "none", met: null });
    }
    const lock = await lockHold(fixtures.lock, url, database.sql);
    goals.push(...lock.goals);
    json.lockHold = lock.json;

    printGoals(goals);
    printNotCovered([
      ...(onlyDirect
        ? []
        : [
            "form posts: one field-light form each; the follow-up GET a browser makes after a redirect (the product or order page's .data)",
            "HTTP races: buyers who arrive all at once with a filled cart; the rush with its page loads is `npm run bench:rush`",
          ]),
      "placeOrder direct: the app's function (its batches included) and pool in a process of its own, without HTTP, Remix or the session look-up",
      "the hot-row ceiling: autocommit UPDATEs of one row, each waiting for its own WAL flush, from the same number of clients and pool",
      "lock hold: from a transaction's first UPDATE of a lot (right after its row lock is granted) to the start of COMMIT, plus a one-row COMMIT measured beside it, shared by the winners the transaction placed (a batch of placements holds the lot for all of them); the triggers that take the timestamps add a few microseconds",
      "the database's own CPU beyond the benchmark database's backends; PostgreSQL shares the machine's two cores with the app and the load generator",
      "WAL per winner or update: everything the server wrote during the round, other databases' work included (nothing else should run)",
    ]);
    writeJson(options.json, { ...json, goals });
  },
);

type SqlOn = <T>(use: (sql: Sql) => Promise<T>) => Promise<T>;

async function httpRace(generator: LoadGenerator, shop: Server, race: Race, backends: BackendWatch, sql: SqlOn) {
  const load1 = loadAverage()[0];
  const dbBefore = await backends.snapshot();
  const cpuBefore = shop.cpuMs();
  const result = await generator.buyers({
    origin: shop.baseUrl,
    scenario: `race-${race.code}`,
    buyers: race.buyers.map((b) => ({ cookie: b.cookie, idempotencyKey: randomUUID() })),
    steps: [
      {
        name: "checkout",
        method: "POST",
        path: "/checkout.data",
        headers: formPostHeaders(shop.baseUrl, "{{cookie}}"),
        body: `idempotencyKey={{idempotencyKey}}&fulfilment=${encodeURIComponent(`group:${race.groupOrderId}`)}&paymentMethod=unit_settlement`,
        expect: [202, 409],
        marks: { sold: "/orders/AS" },
      },
    ],
    stepIndexes: [0],
    connections: race.buyers.length,
    arrivalMs: 0,
    timeoutMs: 300_000,
  });
  const cpuAfter = shop.cpuMs();
  const dbAfter = await backends.snapshot();
  const step = result.steps.checkout!;
  const sold = await sql((s) => readSold(s, race.skuId, race.groupOrderId));
  const soldMark = step.marks.sold ?? { count: 0, lastMs: 0 };
  const ordersPerSecond = soldMark.count / (soldMark.lastMs / 1000);
  const cpuMsPerRequest = (cpuAfter - cpuBefore) / race.buyers.length;
  const dbCpuMsPerRequest = backends.used(dbBefore, dbAfter) / race.buyers.length;
  return {
    load1,
    sold,
    ordersPerSecond,
    cpuMsPerRequest,
    dbCpuMsPerRequest,
    p50: step.p50,
    p99: step.p99,
    elapsedMs: step.lastAnsweredMs,
    unanswered: step.errors,
    statuses: step.statuses,
    problems: step.samples,
    line:
      `${soldMark.count} sold, ${step.statuses["409"] ?? 0} told sold out, ${step.unexpected + step.errors} other | ${fmt(ordersPerSecond)} orders/s | ` +
      `server CPU ${fmt(cpuMsPerRequest)} ms/request, db ${fmt(dbCpuMsPerRequest)} | p50 ${fmt(step.p50, 0)} ms p99 ${fmt(step.p99, 0)} ms | all answered in ${fmt(step.lastAnsweredMs, 0)} ms`,
  };
}

/**
 * placeOrder (the app's function, no HTTP) and the hot-row ceiling, each in a process of its own, in alternating
 * order round by round: winners per second from the start to the last winner, the ceiling's updates per second
 * likewise, and their ratio within each round.
 */
async function placeOrderBeside(warm: Race, races: Race[], url: string, sql: SqlOn) {
  const caller = await startDbCaller(url, options.pool);
  const ceiling = await startDbCaller(url, options.pool);
  const backends = await watchBackends(url);
  try {
    console.log(
      `\nplaceOrder called directly: ${options["direct-units"]} boxes, ${Math.max(options["direct-buyers"], options["direct-units"])} buyers per round, ${options.concurrency} calls in flight, pool ${options.pool}; ` +
        `hot-row ceiling: ${ceilingUpdates} updates of one row, ${options.concurrency} in flight`,
    );
    const place = (race: Race) =>
      caller.placeOrders({ userIds: race.buyers.map((b) => b.userId), groupOrderId: race.groupOrderId, concurrency: options.concurrency });
    const hot = () =>
      ceiling.hotRow({
        updates: ceilingUpdates,
        attempts: Math.ceil(ceilingUpdates * 1.25),
        concurrency: options.concurrency,
      });
    await place(warm);
    await hot();
    const rounds = [];
    for (const [i, race] of races.entries()) {
      const load1 = loadAverage()[0];
      const measure = async <T extends RaceResult>(work: () => Promise<T>) => {
        const before = await backends.snapshot();
        const walBefore = await backends.walBytes();
        const result = await work();
        const walBytes = (await backends.walBytes()) - walBefore;
        return { result, dbCpuMs: backends.used(before, await backends.snapshot()), walBytes };
      };
      let direct: { result: RaceResult; dbCpuMs: number; walBytes: number };
      let hotRow: { result: RaceResult; dbCpuMs: number; walBytes: number };
      if (i % 2 === 0) {
        hotRow = await measure(hot);
        direct = await measure(() => place(race));
      } else {
        direct = await measure(() => place(race));
        hotRow = await measure(hot);
      }
      const sold = await sql((s) => readSold(s, race.skuId, race.groupOrderId));
      const round = {
        load1,
        ordersPerSecond: direct.result.perSecond,
        updatesPerSecond: hotRow.result.perSecond,
        share: direct.result.perSecond / hotRow.result.perSecond,
        callerCpuMsPerCall: direct.result.callerCpuMs / race.buyers.length,
        dbCpuMsPerWinner: direct.dbCpuMs / Math.max(1, direct.result.won),
        dbCpuMsPerUpdate: hotRow.dbCpuMs / Math.max(1, hotRow.result.won),
        walBytesPerWinner: direct.walBytes / Math.max(1, direct.result.won),
        walBytesPerUpdate: hotRow.walBytes / Math.max(1, hotRow.result.won),
        won: direct.result.won,
        refused: direct.result.refused,
        other: direct.result.other,
        updates: hotRow.result.won,
        sold,
      };
      rounds.push(round);
      console.log(
        `  round ${i + 1}/${races.length} (load ${load1.toFixed(2)}): placeOrder ${fmt(round.ordersPerSecond)} orders/s (${round.won} won, ${round.refused} sold out, ${round.other} other; ` +
          `caller CPU ${fmt(round.callerCpuMsPerCall)} ms/call, db ${fmt(round.dbCpuMsPerWinner)} ms/winner, WAL ${fmt(round.walBytesPerWinner / 1024)} KB/winner) | ` +
          `ceiling ${fmt(round.updatesPerSecond)} updates/s (${round.updates}; db ${fmt(round.dbCpuMsPerUpdate)} ms/update, WAL ${fmt(round.walBytesPerUpdate, 0)} B/update) | ${pct(round.share)}`,
      );
      console.log(`    ${soldLine(sold)}`);
      for (const note of direct.result.otherSamples) console.log(`    other answer: ${note.slice(0, 300)}`);
    }
    const share = spread(rounds.map((r) => r.share));
    const ceilingSpread = spread(rounds.map((r) => r.updatesPerSecond));
    const perWinner = spread(rounds.map((r) => 1000 / r.ordersPerSecond));
    console.log(
      `  placeOrder ${fmtSpread(spread(rounds.map((r) => r.ordersPerSecond)))} orders/s | ceiling ${fmtSpread(ceilingSpread)} updates/s | share ${pct(share.min)} / ${pct(share.median)} / ${pct(share.max)}`,
    );
    console.log(
      `  time per winner at the front of the queue (1 / orders per s, an upper bound on the lock hold): ${fmtSpread(perWinner)} ms`,
    );
    const bad = rounds.reduce((n, r) => n + r.sold.oversold + r.sold.overLimit + r.sold.allocationMismatch, 0);
    const short = rounds.filter((r) => r.won !== options["direct-units"] || r.other > 0).length;
    return {
      ceilingMedian: ceilingSpread.median,
      json: rounds,
      goals: [
        {
          label: "placeOrder direct: every box sold once",
          value: `${bad} oversold or inconsistent, ${short} rounds short`,
          goal: "0 and 0",
          met: bad === 0 && short === 0,
        },
        { label: "placeOrder direct vs the hot-row ceiling", value: pct(share.median), goal: "≥ 40 %", met: share.median >= 0.4 },
      ] satisfies Goal[],
    };
  } finally {
    await backends.stop();
    await caller.stop();
    await ceiling.stop();
  }
}

/**
 * How long each winner holds the lots' row locks. A BEFORE UPDATE trigger on StockLot notes the time of a
 * transaction's first lot update (the row lock has just been granted: allocation locks the lots and updates them in
 * one statement) and counts its lot updates (a batch's transaction places several orders, decision 23; a placement
 * undone inside it takes its count with it); a deferred constraint trigger notes the time COMMIT begins. The commit
 * itself (the WAL flush, after which the locks go) is timed beside it on a one-row update. A transaction's time under
 * the locks is shared by the winners it placed. Installed for these samples only.
 */
async function lockHold(races: Race[], url: string, sql: SqlOn) {
  await sql((s) =>
    s.query(`
      CREATE UNLOGGED TABLE bench_lock_hold (xid bigint PRIMARY KEY, locked_at timestamptz NOT NULL, committing_at timestamptz NOT NULL,
        updates int NOT NULL);
      CREATE FUNCTION bench_lot_locked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF COALESCE(current_setting('bench.locked_at', true), '') = '' THEN
          PERFORM set_config('bench.locked_at', clock_timestamp()::text, true);
        END IF;
        PERFORM set_config('bench.updates', (COALESCE(NULLIF(current_setting('bench.updates', true), ''), '0')::int + 1)::text, true);
        RETURN NEW;
      END $$;
      CREATE FUNCTION bench_lot_committing() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO bench_lock_hold
        VALUES (txid_current(), current_setting('bench.locked_at')::timestamptz, clock_timestamp(), current_setting('bench.updates')::int)
        ON CONFLICT (xid) DO UPDATE SET committing_at = EXCLUDED.committing_at;
        RETURN NULL;
      END $$;
      CREATE TRIGGER bench_lot_locked BEFORE UPDATE ON "StockLot" FOR EACH ROW EXECUTE FUNCTION bench_lot_locked();
      CREATE CONSTRAINT TRIGGER bench_lot_committing AFTER UPDATE ON "StockLot" DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION bench_lot_committing();`),
  );
  const caller = await startDbCaller(url, options.pool);
  const committer = await startDbCaller(url, 1);
  try {
    console.log(
      `\nlock hold per winner: ${races.length} samples of ${options["lock-units"]} boxes, ${options.concurrency} calls in flight`,
    );
    const rows = [];
    for (const [i, race] of races.entries()) {
      const load1 = loadAverage()[0];
      await sql((s) => s.query("TRUNCATE bench_lock_hold"));
      const result = await caller.placeOrders({
        userIds: race.buyers.map((b) => b.userId),
        groupOrderId: race.groupOrderId,
        concurrency: options.concurrency,
      });
      // In order of the lot updates: each transaction's time under the locks, and the gap until the next one got them
      // (its COMMIT's WAL flush, the locks passing on, and idle time when nobody was waiting).
      const { rows: held } = await sql((s) =>
        s.query<{ transactions: number; winners: number; heldMs: number; p50: number; p99: number; max: number; handoffP50: number }>(`
          SELECT count(*)::int AS transactions, sum(updates)::int AS winners, sum(held)::float8 AS "heldMs",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY held) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY held) AS p99,
            max(held) AS max, percentile_cont(0.5) WITHIN GROUP (ORDER BY handoff) AS "handoffP50"
          FROM (
            SELECT updates, (extract(epoch FROM committing_at - locked_at) * 1000)::float8 AS held,
              (extract(epoch FROM lead(locked_at) OVER (ORDER BY locked_at) - committing_at) * 1000)::float8 AS handoff
            FROM bench_lock_hold) t`),
      );
      const commit = await committer.commitCost({ count: 200 });
      const h = held[0]!;
      const perWinner = (h.heldMs + h.transactions * commit.p50) / h.winners;
      const row = { load1, ...h, perWinner, commitP50: commit.p50, commitP99: commit.p99, won: result.won, perSecond: result.perSecond };
      rows.push(row);
      console.log(
        `  sample ${i + 1}/${races.length} (load ${load1.toFixed(2)}): ${row.winners} winners in ${row.transactions} transactions | ` +
          `per transaction: lot update → COMMIT p50 ${fmt(row.p50, 3)} ms p99 ${fmt(row.p99, 3)} ms max ${fmt(row.max, 2)} ms, ` +
          `COMMIT → next transaction's lot update p50 ${fmt(row.handoffP50, 3)} ms | a one-row COMMIT p50 ${fmt(row.commitP50, 3)} ms p99 ${fmt(row.commitP99, 3)} ms | ` +
          `per winner ${fmt(perWinner, 3)} ms | ${fmt(result.perSecond)} orders/s`,
      );
    }
    const total = spread(rows.map((r) => r.perWinner));
    console.log(
      `  lock held per winner (each transaction's lot update → COMMIT plus a one-row COMMIT, over the winners it placed): ${fmtSpread(total, 3)} ms`,
    );
    return {
      json: rows,
      goals: [
        { label: "lots' locks held per winner (median)", value: `${fmt(total.median, 3)} ms`, goal: "≤ 1 ms", met: total.median <= 1 },
      ] satisfies Goal[],
    };
  } finally {
    await caller.stop();
    await committer.stop();
    await sql((s) =>
      s.query(`
        DROP TRIGGER bench_lot_committing ON "StockLot";
        DROP TRIGGER bench_lot_locked ON "StockLot";
        DROP FUNCTION bench_lot_committing(), bench_lot_locked();
        DROP TABLE bench_lock_hold;`),
    );
  }
}
