import type { AddressInfo } from "node:net";
import express from "express";
import { rateLimit } from "express-rate-limit";
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { enforceRateLimit, PostgresRateLimitStore, rateLimiter } from "~/utils/rate-limit.server";

const MINUTE = 60_000;

describe("rate limits in PostgreSQL", () => {
  it("counts hits per client within a window, refuses past the limit, and starts again when the window has passed", async () => {
    const limiter = rateLimiter({ name: "test-window", windowMs: MINUTE, limit: 3 });
    const start = new Date("2026-07-01T02:00:00Z");
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await limiter.consume("203.0.113.7", new Date(start.getTime() + i * 1000)));
    expect(hits.map((h) => [h.totalHits, h.limited])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(hits[3]!.retryAfterSeconds).toBe(57);
    // Another client has its own count; the same client starts again after the window.
    expect((await limiter.consume("203.0.113.8", start)).totalHits).toBe(1);
    const later = await limiter.consume("203.0.113.7", new Date(start.getTime() + MINUTE));
    expect([later.totalHits, later.limited]).toEqual([1, false]);
  });

  it("keeps no client address, only a keyed hash, and deletes rows whose window has passed", async () => {
    const limiter = rateLimiter({ name: "test-privacy", windowMs: MINUTE, limit: 10 });
    const past = new Date(Date.now() - 10 * MINUTE);
    await limiter.consume("198.51.100.23", past);
    const rows = await db.rateLimitCounter.findMany({ where: { key: { startsWith: "test-privacy:" } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key).not.toContain("198.51.100.23");
    // A later hit (of anyone) sweeps the lapsed windows away.
    await rateLimiter({ name: "test-other", windowMs: MINUTE, limit: 10 }).consume("192.0.2.1", new Date(Date.now() + 2 * MINUTE));
    expect(await db.rateLimitCounter.count({ where: { key: { startsWith: "test-privacy:" } } })).toBe(0);
  });

  it("counts concurrent hits exactly, as several servers would send them", async () => {
    const limiter = rateLimiter({ name: "test-race", windowMs: MINUTE, limit: 100 });
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.consume("203.0.113.9", now)));
    expect(results.map((r) => r.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("answers 429 with Retry-After from a loader's limit", async () => {
    const limiter = rateLimiter({ name: "test-loader", windowMs: MINUTE, limit: 1 });
    await enforceRateLimit(limiter, "203.0.113.10");
    const refused = await enforceRateLimit(limiter, "203.0.113.10").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(429);
    expect(Number((refused as Response).headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("is a store express-rate-limit middleware can use (as server.ts routes would)", async () => {
    const app = express();
    const store = new PostgresRateLimitStore({ prefix: "test-express" });
    app.use(rateLimit({ windowMs: MINUTE, limit: 2, store, standardHeaders: "draft-8", legacyHeaders: false }));
    app.get("/", (_req, res) => {
      res.send("ok");
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(url)).status);
      expect(statuses).toEqual([200, 200, 429]);
      await store.resetAll();
      expect((await fetch(url)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
