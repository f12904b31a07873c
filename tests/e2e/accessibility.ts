// axe-core over every page a journey shows, at a phone's and a desktop's width (issue 11).
//
// Whenever a journey's page settles on a new address (a full load or a client-side navigation), a copy of its DOM
// without scripts is taken and checked in a tab of its own: served there at the page's own address, so the app's
// stylesheets apply as they did, and checked at 375 px and at 1280 px. The journey's page is never resized, reloaded
// or asked for again: resizing it would move what the journey is about to click, and a second GET is not free of
// effects (the audit log counts each opening of a household file).
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import axe from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";

export const AXE_WIDTHS = [375, 1280] as const;
const FAILING_IMPACTS = new Set(["serious", "critical"]);

export type Violation = { url: string; width: number; rule: string; impact: string; targets: string[]; help: string };
type Snapshot = { url: string; path: string; html: string };
type Asset = { status: number; contentType: string; body: Buffer };
type Stats = { checks: Record<string, number>; ms: number };

/**
 * The page a path shows, with record ids (cuids, order numbers, tokens: any segment with a digit or 20+ letters)
 * made one: /coop/orders/cmx2… and /coop/orders/cmy7… are the same page with other data, checked once.
 */
export function pageOf(pathname: string) {
  return pathname
    .split("/")
    .map((segment) => (/\d/.test(segment) || segment.length >= 20 ? ":id" : segment))
    .join("/");
}

/** The DOM as the reader sees it now, without scripts (the copy must not hydrate), or null for a non-HTML document. */
async function takeSnapshot(page: Page): Promise<Snapshot | null> {
  return page.evaluate(async () => {
    if (document.contentType !== "text/html") return null;
    // While a navigation or fetcher is under way the page is dimmed (aria-busy), which axe rightly reads as too little
    // contrast: the copy is of the page at rest, once nothing is pending.
    const settled = Date.now() + 10_000;
    while (document.querySelector("[aria-busy=true]") && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 50));
    // Two frames: a client-side navigation changes the address before React has drawn the new page.
    await Promise.race([
      new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      new Promise((resolve) => setTimeout(resolve, 200)),
    ]);
    if (document.querySelector("[aria-busy=true]")) return null;
    const copy = document.documentElement.cloneNode(true) as HTMLElement;
    for (const element of copy.querySelectorAll("script, link[rel=modulepreload]")) element.remove();
    const url = new URL(location.href);
    url.hash = "";
    return { url: url.href, path: url.pathname, html: `<!DOCTYPE html>${copy.outerHTML}` };
  });
}

/**
 * One per browser (test file). `claimDir` is shared by the run's test files: a path is checked once per width in the
 * whole run (the first journey to show it checks it), which keeps axe's cost to a few seconds.
 */
export class AccessibilityChecker {
  private tab: Promise<Page> | undefined;
  private current: Snapshot | undefined;
  private assets = new Map<string, Promise<Asset>>();
  private queue: Promise<void> = Promise.resolve();
  private snapshotting = new Set<Promise<void>>();
  private violations: Violation[] = [];
  private errors: unknown[] = [];
  private stats: Stats = { checks: {}, ms: 0 };

  constructor(
    private readonly browser: Browser,
    private readonly claimDir: string,
  ) {
    mkdirSync(path.join(claimDir, "claims"), { recursive: true });
  }

  /** Checks every page the context opens from now on; closing the context first waits for their copies. */
  watch(context: BrowserContext) {
    context.on("page", (page) => this.watchPage(page));
    const close = context.close.bind(context);
    context.close = async (options) => {
      await this.snapshotsTaken();
      return close(options);
    };
  }

  /** Waits for the checks under way and answers the serious and critical violations found since the last call. */
  async settle(): Promise<Violation[]> {
    await this.snapshotsTaken();
    await this.queue;
    const [error] = this.errors;
    this.errors = [];
    if (error) throw error;
    const found = this.violations;
    this.violations = [];
    return found;
  }

  /** Adds this file's counts to the run's (global-setup.ts prints the sum) and closes the checking tab. */
  async finish() {
    writeFileSync(path.join(this.claimDir, `stats-${process.pid}-${Date.now()}.json`), JSON.stringify(this.stats));
    this.stats = { checks: {}, ms: 0 };
    const tab = await this.tab;
    await tab?.context().close();
  }

  private watchPage(page: Page) {
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) this.track(this.copy(page));
    });
  }

  private track(work: Promise<void>) {
    this.snapshotting.add(work);
    void work.finally(() => this.snapshotting.delete(work));
  }

  private async snapshotsTaken() {
    while (this.snapshotting.size > 0) await Promise.all([...this.snapshotting]);
  }

  private async copy(page: Page) {
    const url = new URL(page.url());
    if (!url.protocol.startsWith("http") || AXE_WIDTHS.every((width) => this.claimed(pageOf(url.pathname), width))) return;
    let snapshot: Snapshot | null;
    try {
      await page.waitForLoadState("load");
      snapshot = await takeSnapshot(page);
    } catch {
      // The journey moved on (or closed the page) before the copy was taken: the next page is copied instead.
      return;
    }
    if (!snapshot) return;
    const widths = AXE_WIDTHS.filter((width) => this.claim(pageOf(snapshot.path), width));
    if (widths.length === 0) return;
    this.queue = this.queue.then(() => this.check(snapshot, widths)).catch((error: unknown) => void this.errors.push(error));
  }

  private claimFile(pathname: string, width: number) {
    return path.join(this.claimDir, "claims", `${width}${encodeURIComponent(pathname)}`);
  }

  private claimed(pathname: string, width: number) {
    return existsSync(this.claimFile(pathname, width));
  }

  /** Takes the path for this file (atomically across the run's processes); false when another check has it. */
  private claim(pathname: string, width: number) {
    try {
      closeSync(openSync(this.claimFile(pathname, width), "wx"));
      return true;
    } catch {
      return false;
    }
  }

  private async openTab() {
    const context = await this.browser.newContext({ deviceScaleFactor: 1 });
    await context.addInitScript({ content: axe.source });
    const tab = await context.newPage();
    // The copy is served at its own address; stylesheets come from the app; images, fonts and media are not needed.
    await tab.route("**/*", async (route) => {
      const request = route.request();
      if (request.isNavigationRequest() && this.current && request.url() === this.current.url) {
        await route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: this.current.html });
      } else if (["image", "font", "media"].includes(request.resourceType())) {
        await route.abort();
      } else {
        // Routing turns the browser's cache off, so the stylesheet is fetched once here and then served from memory.
        let asset = this.assets.get(request.url());
        if (!asset) {
          asset = route.fetch().then(async (response) => ({
            status: response.status(),
            contentType: response.headers()["content-type"] ?? "text/css",
            body: await response.body(),
          }));
          this.assets.set(request.url(), asset);
        }
        await route.fulfill(await asset);
      }
    });
    return tab;
  }

  private async check(snapshot: Snapshot, widths: number[]) {
    const started = Date.now();
    this.tab ??= this.openTab();
    const tab = await this.tab;
    this.current = snapshot;
    await tab.goto(snapshot.url, { waitUntil: "load" });
    for (const width of widths) {
      await tab.setViewportSize({ width, height: 900 });
      const results = await tab.evaluate(async () => {
        const { violations } = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] });
        return violations.map((violation) => ({
          rule: violation.id,
          impact: violation.impact ?? "",
          help: violation.help,
          targets: violation.nodes.map((node) => node.target.join(" ")),
        }));
      });
      for (const result of results) {
        if (FAILING_IMPACTS.has(result.impact)) this.violations.push({ ...result, url: snapshot.path, width });
      }
      this.stats.checks[width] = (this.stats.checks[width] ?? 0) + 1;
    }
    this.stats.ms += Date.now() - started;
  }
}

export function describeViolations(violations: Violation[]) {
  const lines = violations.map(
    (violation) =>
      `  [${violation.impact}] ${violation.rule} on ${violation.url} at ${violation.width} px: ${violation.help}\n` +
      violation.targets.map((target) => `      ${target}`).join("\n"),
  );
  return `axe found ${violations.length} serious or critical violation(s):\n${lines.join("\n")}`;
}

/** The run's totals, for global-setup.ts. */
export function axeTotals(claimDir: string) {
  const totals: Stats = { checks: {}, ms: 0 };
  for (const file of readdirSync(claimDir).filter((name) => name.startsWith("stats-"))) {
    const stats = JSON.parse(readFileSync(path.join(claimDir, file), "utf8")) as Stats;
    for (const [width, count] of Object.entries(stats.checks)) totals.checks[width] = (totals.checks[width] ?? 0) + count;
    totals.ms += stats.ms;
  }
  return `axe checked ${AXE_WIDTHS.map((width) => `${totals.checks[width] ?? 0} pages at ${width} px`).join(" and ")} in ${(totals.ms / 1000).toFixed(1)} s`;
}
