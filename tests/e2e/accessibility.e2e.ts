import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { AccessibilityChecker } from "./accessibility";
import { useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

describe("the axe check every journey runs", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("finds a serious violation on a page the journey shows, at both widths, and checks a page once", async () => {
    // A checker of its own, so the page made bad on purpose does not fail this journey through useBrowser's.
    const dir = await mkdtemp(path.join(tmpdir(), "anshang-axe-test-"));
    dirs.push(dir);
    const checker = new AccessibilityChecker(browser(), dir);
    const context = await browser().newContext({ baseURL: baseUrl });
    checker.watch(context);
    const page = await context.newPage();
    await page.route("**/axe-fixture/*", (route) =>
      route.fulfill({
        contentType: "text/html; charset=utf-8",
        body: '<!DOCTYPE html><html lang="zh-CN"><head><title>x</title></head><body><main><p style="color:#bbb;background:#fff">浅灰色的字</p><input></main></body></html>',
      }),
    );
    await page.goto("/axe-fixture/c1234567890abcdefghijklmn");
    const violations = await checker.settle();
    expect(violations.map(({ rule, width, url }) => `${rule} ${width} ${url}`).sort()).toEqual([
      "color-contrast 1280 /axe-fixture/c1234567890abcdefghijklmn",
      "color-contrast 375 /axe-fixture/c1234567890abcdefghijklmn",
      "label 1280 /axe-fixture/c1234567890abcdefghijklmn",
      "label 375 /axe-fixture/c1234567890abcdefghijklmn",
    ]);
    // The same page with another record's id is not checked again.
    await page.goto("/axe-fixture/c0987654321abcdefghijklmn");
    await expect(checker.settle()).resolves.toEqual([]);
    await context.close();
    await checker.finish();
  });
});
