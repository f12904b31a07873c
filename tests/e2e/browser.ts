import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { AccessibilityChecker, describeViolations } from "./accessibility";

// The axe checker of each browser started by useBrowser: every page opened with newPage is checked.
const checkers = new WeakMap<Browser, AccessibilityChecker>();

// Debian's Chromium, started the way these machines need (no sandbox as root, no background networking).
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newPage(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "zh-CN", viewport: { width: 390, height: 844 }, ...options });
  checkers.get(browser)?.watch(context);
  return context.newPage();
}

/**
 * Waits until the page loaded last has hydrated (root.tsx marks it): typing or clicking before that races the
 * scripts that take the form over, so a journey waits for this after every full page load before it acts.
 */
export async function hydrated(page: Page) {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

export async function signIn(page: Page, login: string, password = "anshang2026") {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel(/手机号或邮箱|Phone or email/).fill(login);
  await page.getByLabel(/^密码$|^Password$/).fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/login")),
    page.getByRole("button", { name: /^登录$|^Sign in$/ }).click(),
  ]);
}

/**
 * Errors the page's scripts throw or log (a failed hydration logs one), collected from now on. Chromium's own
 * "Failed to load resource" lines are left out: a 422 is how the server answers a form it validates on blur.
 */
export function scriptErrors(page: Page): string[] {
  const errors: string[] = [];
  // Where the page was and where the error came from, so that a failure in a long run can be traced afterwards.
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.stack ?? error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
      errors.push(`${page.url()}: ${message.text()} (at ${message.location().url}:${message.location().lineNumber})`);
  });
  return errors;
}

/**
 * One Chromium for a test file, started before its tests and closed after them. A test fails when axe finds a
 * serious or critical violation on a page it showed (accessibility.ts), named with its rule, width and elements.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  let checker: AccessibilityChecker | undefined;
  const failOnViolations = async () => {
    const violations = (await checker?.settle()) ?? [];
    if (violations.length > 0) throw new Error(describeViolations(violations));
  };
  beforeAll(async () => {
    browser = await launchBrowser();
    checker = new AccessibilityChecker(browser, inject("axeDir"));
    checkers.set(browser, checker);
  });
  afterEach(failOnViolations);
  afterAll(async () => {
    try {
      await failOnViolations();
      await checker?.finish();
    } finally {
      await browser?.close();
    }
  });
  return () => {
    if (!browser) throw new Error("The browser is not started yet");
    return browser;
  };
}
