import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "~/config.server";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "anshang-config-"));

describe("loadConfig", () => {
  it("runs a fresh machine on the embedded database with generated, persisted secrets", () => {
    const DATA_DIR = dataDir();
    const first = loadConfig({ DATA_DIR });
    expect(first).toMatchObject({ embedded: true, port: 3000, seedDemo: true });
    expect(first.sessionSecret).toHaveLength(64);
    expect(loadConfig({ DATA_DIR }).sessionSecret).toBe(first.sessionSecret);
  });

  it("never seeds a real PostgreSQL unless asked", () => {
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: "postgresql://localhost/shop" }).seedDemo).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: "postgresql://localhost/shop", SEED_DEMO: "true" }).seedDemo).toBe(true);
  });

  it("names every invalid variable in one clear message", () => {
    expect(() => loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x" })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x" });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres/);
    }
  });

  it("refuses test-only settings in production, and keeps them for tests", () => {
    const production = { NODE_ENV: "production", DATA_DIR: dataDir(), STRIPE_API_BASE: "http://127.0.0.1:12111" };
    expect(() => loadConfig(production)).toThrow(/STRIPE_API_BASE: a test-only setting, refused when NODE_ENV=production/);
    expect(loadConfig({ ...production, NODE_ENV: "test" }).stripe.apiBase).toEqual({ host: "127.0.0.1", port: 12111, protocol: "http" });
    expect(loadConfig({ ...production, STRIPE_API_BASE: "" }).stripe.apiBase).toBeUndefined();
  });

  it("requires real secrets in production against PostgreSQL", () => {
    expect(() => loadConfig({ NODE_ENV: "production", DATABASE_URL: "postgresql://localhost/shop", DATA_DIR: dataDir() })).toThrow(
      /SESSION_SECRET/,
    );
  });

  it("requires a card-payment TTL Stripe accepts (30 minutes or more)", () => {
    expect(() => loadConfig({ ORDER_PAYMENT_TTL_MINUTES: "10", DATA_DIR: dataDir() })).toThrow(/ORDER_PAYMENT_TTL_MINUTES/);
  });
});
