import { db } from "~/db/client.server";

const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_LOGIN = 5;
const MAX_FAILURES_PER_IP = 30;

/**
 * Sign-in throttling kept in the database rather than in memory, so it holds when several app servers run behind
 * a load balancer: 5 failures for one login, or 30 from one address, in 15 minutes locks further tries out.
 */
export async function isLoginThrottled(identifier: string, ip: string) {
  const since = new Date(Date.now() - WINDOW_MS);
  const [byLogin, byIp] = await Promise.all([
    db.loginAttempt.count({ where: { identifier, succeeded: false, createdAt: { gte: since } } }),
    db.loginAttempt.count({ where: { ip, succeeded: false, createdAt: { gte: since } } }),
  ]);
  return byLogin >= MAX_FAILURES_PER_LOGIN || byIp >= MAX_FAILURES_PER_IP;
}

export async function recordLoginAttempt(identifier: string, ip: string, succeeded: boolean) {
  await db.loginAttempt.create({ data: { identifier, ip, succeeded } });
}

/** The client address Express worked out (it honours TRUST_PROXY), passed to Remix through the load context. */
export function clientIp(context: unknown) {
  const ip = (context as { clientIp?: string } | undefined)?.clientIp;
  return ip ?? "unknown";
}
