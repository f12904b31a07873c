import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const flag = z.preprocess((v) => (v === undefined || v === "" ? undefined : v), z.enum(["true", "false"]).optional());

/** A limit as `<requests>/<seconds>`, e.g. `10/3600`: ten per client per hour. */
const limitSpec = (fallback: string) =>
  optionalString.pipe(z.string().default(fallback)).pipe(
    z
      .string()
      .regex(/^\d+\/\d+$/, "must be <requests>/<seconds>, e.g. 10/3600")
      .transform((value) => {
        const [limit, seconds] = value.split("/").map(Number) as [number, number];
        return { limit, windowMs: seconds * 1000 };
      }),
  );

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  APP_URL: optionalString.pipe(z.url().optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATA_DIR: z.string().default("data"),
  SEED_DEMO: flag,
  SESSION_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  ID_HASH_KEY: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_PAYMENT_METHODS: z.string().default("card"),
  STRIPE_API_BASE: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  ORDER_PAYMENT_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(30)
    .max(24 * 60)
    .default(30),
  LOG_REQUESTS: flag,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  TRUST_PROXY: flag,
  WORK_JOBS: flag,
  METRICS_TOKEN: optionalString,
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),

  /** Rate limits: on by default, off by default under NODE_ENV=test so a test suite's own traffic is never refused. */
  RATE_LIMITS: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["on", "off"]).optional()),
  RATE_LIMIT_REGISTER: limitSpec("10/3600"),
  RATE_LIMIT_CHECKOUT: limitSpec("30/600"),
  RATE_LIMIT_CART_WRITES: limitSpec("120/60"),
  RATE_LIMIT_ID_LOOKUP: limitSpec("30/600"),
  RATE_LIMIT_WEBHOOK: limitSpec("600/60"),
  RATE_LIMIT_HOUSEHOLD_CARD: limitSpec("60/600"),
});

/**
 * Settings only a test may set: each loosens the shop (STRIPE_API_BASE sends payments to another address and widens
 * the Content-Security-Policy to it), so a production server refuses to start with one.
 */
const TEST_ONLY_SETTINGS = ["STRIPE_API_BASE"] as const;

export type AppConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

/**
 * Reads and validates the environment once. Secrets that a fresh embedded install cannot be expected to have are
 * generated and kept in the data folder; against a real PostgreSQL in production they must be given.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const testOnly = e.NODE_ENV === "production" ? TEST_ONLY_SETTINGS.filter((name) => e[name] !== undefined) : [];
  if (testOnly.length > 0) {
    const lines = testOnly.map((name) => `  ${name}: a test-only setting, refused when NODE_ENV=production`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join("\n")}`);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const embedded = !e.DATABASE_URL;
  const strict = e.NODE_ENV === "production" && !embedded;
  const secret = (name: "SESSION_SECRET" | "ID_HASH_KEY", value: string | undefined) => {
    if (value) return value;
    if (strict) throw new ConfigError(`Invalid configuration in the environment:\n  ${name}: required in production with DATABASE_URL`);
    return persistedSecret(dataDir, name.toLowerCase());
  };
  return {
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === "production",
    /** The built app with its production safeguards (CSP, page cache) — in production, and in the browser tests. */
    servesBuild: e.NODE_ENV !== "development",
    port: e.PORT,
    host: e.HOST,
    appUrl: e.APP_URL ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    embedded,
    dataDir,
    seedDemo: e.SEED_DEMO === undefined ? embedded : e.SEED_DEMO === "true",
    sessionSecret: secret("SESSION_SECRET", e.SESSION_SECRET),
    idHashKey: secret("ID_HASH_KEY", e.ID_HASH_KEY),
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      paymentMethods: e.STRIPE_PAYMENT_METHODS.split(",")
        .map((m) => m.trim())
        .filter(Boolean),
      apiBase: e.STRIPE_API_BASE ? stripeApiBase(e.STRIPE_API_BASE) : undefined,
    },
    orderPaymentTtlMinutes: e.ORDER_PAYMENT_TTL_MINUTES,
    logRequests: e.LOG_REQUESTS === undefined ? e.NODE_ENV !== "test" : e.LOG_REQUESTS === "true",
    trustProxy: e.TRUST_PROXY === "true",
    workJobs: e.WORK_JOBS !== "false",
    metricsToken: e.METRICS_TOKEN,
    jobRetryDelaySeconds: e.JOB_RETRY_DELAY_SECONDS,
    rateLimits: {
      enabled: e.RATE_LIMITS === undefined ? e.NODE_ENV !== "test" : e.RATE_LIMITS === "on",
      // Per client address: registrations, Stripe's webhook calls, household card pages (/h/<token>).
      register: e.RATE_LIMIT_REGISTER,
      webhook: e.RATE_LIMIT_WEBHOOK,
      householdCard: e.RATE_LIMIT_HOUSEHOLD_CARD,
      // Per signed-in user (or cart cookie): orders placed, cart changes, ID-number look-ups.
      checkout: e.RATE_LIMIT_CHECKOUT,
      cartWrites: e.RATE_LIMIT_CART_WRITES,
      idLookup: e.RATE_LIMIT_ID_LOOKUP,
    },
  };
}

/** STRIPE_API_BASE in the form the Stripe SDK takes, so tests can point it at a local stand-in for api.stripe.com. */
function stripeApiBase(value: string) {
  const url = new URL(value);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: Number(url.port) || (protocol === "http" ? 80 : 443), protocol } as const;
}

function persistedSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString("hex");
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

const globalConfig = globalThis as unknown as { __anshangConfig?: AppConfig };

/** The validated configuration, loaded on first use (the server entry loads it first, so errors show at start). */
export function config(): AppConfig {
  globalConfig.__anshangConfig ??= loadConfig();
  return globalConfig.__anshangConfig;
}
