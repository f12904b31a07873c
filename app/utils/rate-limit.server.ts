// Rate limits kept in PostgreSQL, so that a limit holds across every app server behind a load balancer (DOMAIN §8),
// in fixed windows. `PostgresRateLimitStore` is an express-rate-limit Store, for Express middleware in server.ts;
// `rateLimiter()` wraps the same store for a Remix loader or action that limits itself (the household card page).
// A client's key (its address) is stored only as a keyed hash, and its row is deleted once the window has passed,
// so no address outlives the window it is counted in.
import { createHmac } from "node:crypto";
import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import { config, type AppConfig } from "~/config.server";
import { db, queryRows } from "~/db/client.server";
import { noteRetryAfter } from "./logger.server";

/** How often one process deletes the rows of windows that have passed. */
const PURGE_EVERY_MS = 60_000;
let nextPurgeAt = 0;

async function purgeLapsedWindows(now: Date) {
  if (now.getTime() < nextPurgeAt) return;
  nextPurgeAt = now.getTime() + PURGE_EVERY_MS;
  await db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "resetAt" <= ${now}::timestamp`;
}

// One statement: concurrent hits from several servers are counted by the row lock, and a lapsed window restarts. On
// the pool (queryRows), as the pages' reads are: every add to a cart and every checkout of a rush counts a hit.
// $1 the stored key, $2 the end of a new window, $3 now.
const INCREMENT_SQL = `
  INSERT INTO "RateLimitCounter" ("key", "hits", "resetAt") VALUES ($1, 1, $2::timestamptz AT TIME ZONE 'UTC')
  ON CONFLICT ("key") DO UPDATE SET
    "hits" = CASE WHEN "RateLimitCounter"."resetAt" <= ($3::timestamptz AT TIME ZONE 'UTC') THEN 1 ELSE "RateLimitCounter"."hits" + 1 END,
    "resetAt" = CASE WHEN "RateLimitCounter"."resetAt" <= ($3::timestamptz AT TIME ZONE 'UTC') THEN EXCLUDED."resetAt" ELSE "RateLimitCounter"."resetAt" END
  RETURNING "hits", "resetAt" AT TIME ZONE 'UTC' AS "resetAt"`;

export class PostgresRateLimitStore implements Store {
  /** Counts are shared by every process that uses the same prefix. */
  readonly localKeys = false;
  readonly prefix: string;
  windowMs: number;

  constructor({ prefix, windowMs = 60_000 }: { prefix: string; windowMs?: number }) {
    this.prefix = prefix;
    this.windowMs = windowMs;
  }

  /** express-rate-limit passes its options once; the window is theirs. */
  init(options: Options) {
    this.windowMs = options.windowMs;
  }

  private storedKey(key: string) {
    const digest = createHmac("sha256", config().sessionSecret).update(`rate-limit:${key}`).digest("base64url");
    return `${this.prefix}:${digest}`;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [row] = await db.$queryRaw<{ hits: number; resetAt: Date }[]>`
      SELECT "hits", "resetAt" FROM "RateLimitCounter" WHERE "key" = ${this.storedKey(key)} AND "resetAt" > ${new Date()}::timestamp`;
    return row && { totalHits: row.hits, resetTime: row.resetAt };
  }

  async increment(key: string, now = new Date()): Promise<ClientRateLimitInfo> {
    await purgeLapsedWindows(now);
    const resetAt = new Date(now.getTime() + this.windowMs);
    const [row] = await queryRows<{ hits: number; resetAt: Date }>("RateLimitCounter.increment", INCREMENT_SQL, [
      this.storedKey(key),
      resetAt.toISOString(),
      now.toISOString(),
    ]);
    return { totalHits: row!.hits, resetTime: row!.resetAt };
  }

  async decrement(key: string) {
    await db.$executeRaw`
      UPDATE "RateLimitCounter" SET "hits" = GREATEST("hits" - 1, 0) WHERE "key" = ${this.storedKey(key)}`;
  }

  async resetKey(key: string) {
    await db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "key" = ${this.storedKey(key)}`;
  }

  async resetAll() {
    await db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "key" LIKE ${`${this.prefix}:%`}`;
  }
}

export type RateLimitOutcome = { limited: boolean; totalHits: number; retryAfterSeconds: number };

/** A named limit of `limit` hits per client per `windowMs`, for routes that count their own requests. */
export function rateLimiter({ name, windowMs, limit }: { name: string; windowMs: number; limit: number }) {
  const store = new PostgresRateLimitStore({ prefix: name, windowMs });
  return {
    store,
    limit,
    async consume(clientKey: string, now = new Date()): Promise<RateLimitOutcome> {
      const { totalHits, resetTime } = await store.increment(clientKey, now);
      const retryAfterSeconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? now.getTime()) - now.getTime()) / 1000));
      return { limited: totalHits > limit, totalHits, retryAfterSeconds };
    },
  };
}

export type RateLimiter = ReturnType<typeof rateLimiter>;

/** Counts the request against `limiter`; over the limit, throws a 429 that says when to come back. */
export async function enforceRateLimit(limiter: RateLimiter, clientKey: string) {
  const outcome = await limiter.consume(clientKey);
  if (outcome.limited) {
    // A page's error render drops the thrown response's headers; server.ts sets Retry-After again from this.
    noteRetryAfter(outcome.retryAfterSeconds);
    throw new Response("Too many requests", {
      status: 429,
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Retry-After": String(outcome.retryAfterSeconds),
        "Cache-Control": "private, no-store",
      },
    });
  }
}

export type LimitName = Exclude<keyof AppConfig["rateLimits"], "enabled">;

/**
 * Counts a request against the configured limit `name` (config.server.ts, RATE_LIMIT_*): a 429 with Retry-After
 * past it, which the error page shows in the reader's language. Nothing is counted while limits are off.
 */
export async function limitRequest(name: LimitName, clientKey: string) {
  const { rateLimits } = config();
  if (!rateLimits.enabled) return;
  await enforceRateLimit(rateLimiter({ name, ...rateLimits[name] }), clientKey);
}
