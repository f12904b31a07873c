import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newPage, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

// Links that answer with a file or an image rather than a page, or that would sign the visitor out.
const NOT_A_PAGE = /\/(logout|language)\b|\/export\b|\.(png|csv|xlsx|pdf)\b|\/poster\.png|\/uploads\//;

/** How far the page is wider than the screen, in CSS pixels (0 when nothing makes it scroll sideways). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * Every page reachable by links under `prefix` from `start` (each distinct path once, query strings dropped
 * except the first page of each), visited at 375 px; answers each path with its sideways overflow.
 */
async function crawl(page: Page, start: string, prefix: RegExp, limit: number) {
  const seen = new Set<string>();
  const queue = [start];
  const wide: { path: string; px: number }[] = [];
  while (queue.length > 0 && seen.size < limit) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(400);
    const px = await overflow(page);
    if (px > 0) wide.push({ path, px });
    const links = await page.$$eval("a[href]:not([download])", (anchors) =>
      anchors.map((a) => (a as HTMLAnchorElement).getAttribute("href")!),
    );
    for (const href of links) {
      const url = new URL(href, baseUrl);
      if (url.origin !== new URL(baseUrl).origin || !prefix.test(url.pathname) || NOT_A_PAGE.test(url.pathname)) continue;
      if (!seen.has(url.pathname)) queue.push(url.pathname);
    }
  }
  return { visited: [...seen], wide };
}

describe("every page fits a 375 px phone", () => {
  let page: Page;
  beforeAll(async () => {
    page = await newPage(browser(), baseUrl, { viewport: { width: 375, height: 812 } });
  });
  afterAll(() => page.context().close());

  it.each([
    ["13800000003", "/coop", /^\/coop(\/|$)/],
    ["13800000004", "/team", /^\/team(\/|$)/],
    ["13800000002", "/organizer", /^\/organizer(\/|$)/],
    ["admin@anshang.example", "/admin", /^\/admin(\/|$)/],
    ["13800000001", "/", /^\/(products|cart|checkout|orders|account|g)?(\/|$)/],
  ] as const)("%s's pages from %s", async (login, start, prefix) => {
    await page.context().clearCookies();
    await signIn(page, login);
    const { visited, wide } = await crawl(page, start, prefix, 40);
    expect(visited.length).toBeGreaterThan(2);
    expect(wide).toEqual([]);
  });
});
