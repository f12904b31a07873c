// npm run bench:lighthouse — Lighthouse's mobile audit (its default config: a mid-range phone, simulated slow 4G and
// 4× CPU slowdown) of the pages a buyer sees most — home, a product, the cart and an order — served by the
// production build on a fresh PostgreSQL database with the demo data, as the demo buyer signed in with one item in
// the cart and one order placed. Debian's Chromium, started by chrome-launcher, a fresh one per round; each page
// `--runs` times (≥ 3, the machine is shared) with min/median/max of each category's score, the median run's
// metrics, the load average and Lighthouse's own CPU benchmark of each round, and every scored audit that fell short.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { launch } from "chrome-launcher";
import lighthouse, { type Flags, type Result } from "lighthouse";
import { loadAverage } from "./lib/proc";
import { benchRun, type Goal, numericOptions, printGoals, printNotCovered, printSetting, writeJson } from "./lib/run";
import { prepareShopDatabase } from "./lib/shop-database";
import { printServerProblems, REPO_ROOT, SHOP_SECRETS, startShop } from "./lib/servers";
import { fmtSpread, spread, type Spread } from "./lib/stats";

const options = numericOptions(
  { runs: { env: "BENCH_RUNS", default: 3, help: "Lighthouse runs per page (each round audits every page once)" } },
  {
    en: { type: "boolean" },
    reports: { type: "boolean" },
  },
);
if (options.runs < 1) throw new Error("--runs must be at least 1");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const REPORTS_DIR = path.join(REPO_ROOT, "lighthouse-reports");
const LOCALE = options.flags.en ? "en" : "zh";
/** The demo buyer (prisma/seed.ts): an employee of the bureau's headquarters, invited to its open group order. */
const BUYER_PHONE = "13800000001";
const GOAL = 95;

const CATEGORIES = [
  { id: "performance", label: "performance", goal: true },
  { id: "accessibility", label: "accessibility", goal: true },
  { id: "best-practices", label: "best-practices", goal: true },
  { id: "seo", label: "SEO", goal: false },
] as const;
type CategoryId = (typeof CATEGORIES)[number]["id"];

/** The metrics behind the performance score, as the report shows them. */
const METRICS = [
  { id: "first-contentful-paint", label: "FCP" },
  { id: "largest-contentful-paint", label: "LCP" },
  { id: "total-blocking-time", label: "TBT" },
  { id: "cumulative-layout-shift", label: "CLS" },
  { id: "speed-index", label: "SI" },
] as const;

// The app reads these when the domain modules below set up the buyer, and signs the session cookie with them: the
// same secrets the benchmark server runs with.
Object.assign(process.env, SHOP_SECRETS);

type Page = { name: string; path: string };
type Audit = { page: string; run: number; lhr: Result };

/** Signs in the demo buyer, puts one item in their cart and places one order (through the app's own functions). */
async function prepareBuyer(databaseUrl: string) {
  const { configureDatabase, db, disconnectDatabase } = await import("~/db/client.server");
  const { createUserSession } = await import("~/auth/session.server");
  const { listOpenGroupOrdersForUnit } = await import("~/domain/group-orders/queries.server");
  const { addToCart } = await import("~/domain/shop/cart.server");
  const { placeOrder } = await import("~/domain/shop/checkout.server");
  const { localeCookie } = await import("~/i18n/i18n.server");
  // The app's slow-query warnings would drown the figures (on a shared machine a setup query often takes > 100 ms);
  // the setting is put back before the server starts, which inherits this environment.
  const logLevel = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = "error";
  configureDatabase(databaseUrl, { poolMax: 2 });
  try {
    const buyer = await db.user.findUniqueOrThrow({ where: { phone: BUYER_PHONE }, select: { id: true, unitId: true } });
    if (!buyer.unitId) throw new Error(`the demo buyer ${BUYER_PHONE} belongs to no unit`);
    const groups = await listOpenGroupOrdersForUnit(buyer.unitId);
    const group = groups.find((g) => g.allowUnitSettlement && g.items.length > 0);
    if (!group) throw new Error(`no open group order paid by unit settlement offers anything to ${BUYER_PHONE}'s unit`);
    const owner = { userId: buyer.id };
    const [first, second = first] = group.items;
    await addToCart(owner, first!.skuId, 1);
    const { order } = await placeOrder({
      userId: buyer.id,
      idempotencyKey: randomUUID(),
      lines: "cart",
      fulfilment: { kind: "group_pickup", groupOrderId: group.id },
      paymentMethod: "unit_settlement",
      cardPaymentConfigured: false,
      paymentTtlMinutes: 30,
    });
    const { productSlug } = await addToCart(owner, second!.skuId, 1);
    const session = (await createUserSession(buyer.id, "/")).headers.get("Set-Cookie")!.split(";")[0]!;
    const locale = (await localeCookie.serialize(LOCALE)).split(";")[0]!;
    const pages: Page[] = [
      { name: "home", path: "/" },
      { name: "product", path: `/products/${productSlug}` },
      { name: "cart", path: "/cart" },
      { name: "order", path: `/orders/${order.number}` },
    ];
    return { cookie: `${session}; ${locale}`, pages };
  } finally {
    await disconnectDatabase();
    if (logLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = logLevel;
  }
}

const load = () => loadAverage().join(" ");
const score = (lhr: Result, category: CategoryId) => Math.round((lhr.categories[category]?.score ?? NaN) * 100);

/** The run whose performance score is the median of the page's runs: its metrics are the ones printed. */
function medianRun(audits: Audit[]) {
  const sorted = [...audits].sort((a, b) => score(a.lhr, "performance") - score(b.lhr, "performance"));
  return sorted[Math.floor((sorted.length - 1) / 2)]!.lhr;
}

/** Scored audits below full marks in any run, by category: how often, and what the median run says of it. */
function shortfalls(audits: Audit[]) {
  const found = new Map<string, { category: string; title: string; runs: number; display: string }>();
  for (const { lhr } of audits) {
    for (const category of CATEGORIES) {
      for (const ref of lhr.categories[category.id]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 0.9) continue;
        const key = `${category.label}:${ref.id}`;
        const entry = found.get(key) ?? { category: category.label, title: `${ref.id} — ${audit.title}`, runs: 0, display: "" };
        entry.runs += 1;
        entry.display ||= audit.displayValue ?? "";
        found.set(key, entry);
      }
    }
    // Opportunities carry no weight of their own but say where the performance metrics' time went.
    for (const audit of Object.values(lhr.audits)) {
      const savings = audit.details?.type === "opportunity" ? (audit.details.overallSavingsMs ?? 0) : 0;
      if (savings < 100) continue;
      const key = `opportunity:${audit.id}`;
      const entry = found.get(key) ?? { category: "opportunity", title: `${audit.id} — ${audit.title}`, runs: 0, display: "" };
      entry.runs += 1;
      entry.display ||= `saves ~${Math.round(savings)} ms`;
      found.set(key, entry);
    }
  }
  return [...found.values()];
}

await benchRun(
  `Lighthouse benchmark: mobile, simulated throttling, ${options.runs} runs per page, pages in ${LOCALE}, Chromium at ${CHROMIUM}`,
  async (run) => {
    const database = await prepareShopDatabase(run, "lighthouse");
    const url = database.url!;
    await printSetting(url);
    const { cookie, pages } = await prepareBuyer(url);

    const shop = await startShop({
      databaseUrl: url,
      dataDir: database.dataDir,
      logFile: run.logFile("shop"),
      env: { LOG_REQUESTS: "false" },
    });
    run.defer(shop.stop);
    // One request per page first: the first answer of a fresh server loads its code, which no visitor waits for.
    for (const page of pages) {
      const response = await fetch(shop.baseUrl + page.path, { headers: { Cookie: cookie }, redirect: "manual" });
      if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}, not 200:\n${shop.logTail()}`);
    }
    if (options.flags.reports) mkdirSync(REPORTS_DIR, { recursive: true });

    const audits: Audit[] = [];
    const rounds: { load: string; benchmarkIndex: number[] }[] = [];
    for (let round = 1; round <= options.runs; round++) {
      const benchmarkIndex: number[] = [];
      for (const page of pages) {
        // A fresh browser for every audit: a second navigation traced in the same Chromium 156 came back without its
        // navigationStart (NO_NAVSTART), and nothing of one audit (cache, compiled code) can help the next.
        const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox"], logLevel: "error" });
        try {
          const flags: Flags = {
            port: chrome.port,
            logLevel: "error",
            output: options.flags.reports ? "html" : "json",
            onlyCategories: CATEGORIES.map((c) => c.id),
            extraHeaders: { Cookie: cookie },
          };
          const result = await lighthouse(shop.baseUrl + page.path, flags);
          if (!result) throw new Error(`Lighthouse returned nothing for ${page.path}`);
          const { lhr } = result;
          if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${page.path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
          if (lhr.finalDisplayedUrl !== shop.baseUrl + page.path) {
            throw new Error(`${page.path} ended at ${lhr.finalDisplayedUrl}: the session cookie was not accepted`);
          }
          for (const warning of lhr.runWarnings) console.log(`  ${page.name}, run ${round}: Lighthouse warns: ${warning}`);
          if (options.flags.reports) writeFileSync(path.join(REPORTS_DIR, `${page.name}-${round}.html`), result.report as string);
          audits.push({ page: page.name, run: round, lhr });
          benchmarkIndex.push(lhr.environment.benchmarkIndex);
        } finally {
          chrome.kill();
        }
      }
      rounds.push({ load: load(), benchmarkIndex });
      console.log(
        `round ${round}/${options.runs} done; load average ${load()}; Lighthouse's CPU benchmark ${benchmarkIndex.map(Math.round).join(", ")}`,
      );
    }

    const table = pages.map((page) => {
      const runs = audits.filter((a) => a.page === page.name);
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c.id, spread(runs.map((a) => score(a.lhr, c.id)))])) as Record<
        CategoryId,
        Spread
      >;
      const metrics = Object.fromEntries(METRICS.map((m) => [m.label, medianRun(runs).audits[m.id]?.displayValue ?? "–"]));
      return { page: page.name, path: page.path, scores, metrics, shortfalls: shortfalls(runs) };
    });

    console.log(`\nscores, min / median / max of ${options.runs} runs (goal ≥ ${GOAL} for all but SEO):`);
    console.log(["page".padEnd(9), ...CATEGORIES.map((c) => c.label.padEnd(17))].join(" "));
    for (const row of table) {
      console.log([row.page.padEnd(9), ...CATEGORIES.map((c) => fmtSpread(row.scores[c.id], 0).padEnd(17))].join(" "));
    }
    console.log("\nmetrics of each page's median performance run:");
    for (const row of table) {
      console.log(`  ${row.page.padEnd(9)} ${METRICS.map((m) => `${m.label} ${row.metrics[m.label]}`).join("   ")}   (${row.path})`);
    }
    console.log("\nwhat fell short (scored audits below 0.9, opportunities saving ≥ 100 ms), in how many runs:");
    for (const row of table) {
      if (!row.shortfalls.length) console.log(`  ${row.page}: nothing`);
      for (const s of row.shortfalls) {
        console.log(
          `  ${row.page.padEnd(9)} ${s.category.padEnd(15)} ${s.runs}/${options.runs}  ${s.title}${s.display ? ` (${s.display})` : ""}`,
        );
      }
    }
    printServerProblems([shop]);

    const goals: Goal[] = table.flatMap((row) =>
      CATEGORIES.map((c) => ({
        label: `${row.page} ${c.label}`,
        value: String(row.scores[c.id].median),
        goal: c.goal ? `≥ ${GOAL}` : "reported",
        met: c.goal ? row.scores[c.id].median >= GOAL : null,
      })),
    );
    printGoals(goals);
    printNotCovered([
      "simulated throttling scales the CPU time this machine took: with the load average above the core count the performance scores are lower than on a quiet machine (Lighthouse's CPU benchmark per round says how slow it was; ~1000+ is a typical desktop)",
      "the pages as the signed-in demo buyer; an anonymous visitor's home page is served from the page cache",
      "desktop form factor, the other pages and real devices",
    ]);
    if (options.flags.reports) console.log(`HTML reports in ${REPORTS_DIR}`);
    writeJson(options.json, { runs: options.runs, locale: LOCALE, rounds, pages: table });
  },
);
