import { describe, expect, it } from "vitest";
import { pageJsWeights } from "../../scripts/bundle-size";

// Issue 11: no page makes a phone download more than 100 KB of gzipped JavaScript before it works. Read from the
// build this run made (npm run test:e2e builds first); scripts/bundle-size.ts says what is counted.
const BUDGET_BYTES = 100 * 1024;

describe("the built client's JavaScript", () => {
  it("weighs at most 100 KB gzipped on every page", () => {
    const pages = pageJsWeights();
    expect(pages.length).toBeGreaterThan(40);
    const over = pages
      .filter((page) => page.gzipBytes > BUDGET_BYTES)
      .map((page) => `${page.route}: ${(page.gzipBytes / 1024).toFixed(1)} KB`);
    expect(over).toEqual([]);
  });
});
