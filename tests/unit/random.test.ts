import { describe, expect, it } from "vitest";
import { pooledRandomBytes } from "~/utils/random.server";

describe("pooled random bytes", () => {
  it("gives distinct values of the size asked, across refills of the pool, and keeps each one as it was", () => {
    const first = pooledRandomBytes(16);
    const copy = Buffer.from(first);
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const bytes = pooledRandomBytes(i % 2 ? 8 : 16);
      expect(bytes.length).toBe(i % 2 ? 8 : 16);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(2_000);
    expect(first.equals(copy)).toBe(true);
    expect(pooledRandomBytes(10_000).length).toBe(10_000);
  });
});
