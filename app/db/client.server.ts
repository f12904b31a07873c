import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

type DbState = { url: string; poolMax: number; client?: PrismaClient };

// The server entry and the Remix server build are separate module graphs; globalThis is what they share.
const globalState = globalThis as unknown as { __anshangDb?: DbState };

/**
 * Chooses the database for this process. Embedded PGlite runs one backend, so it gets a small pool: its socket
 * server already queues statements and keeps a transaction's statements on its own connection.
 */
export function configureDatabase(url: string, options: { poolMax?: number } = {}) {
  globalState.__anshangDb = { url, poolMax: options.poolMax ?? 10 };
}

function state(): DbState {
  if (!globalState.__anshangDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("The database is not configured: call configureDatabase() or set DATABASE_URL.");
    configureDatabase(url);
  }
  return globalState.__anshangDb!;
}

function client(): PrismaClient {
  const current = state();
  current.client ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: current.url, max: current.poolMax, connectionTimeoutMillis: 5_000 }),
  });
  return current.client;
}

/** The Prisma client. Resolved on first use so that start-up can pick the database first. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const target = client();
    const value = Reflect.get(target, property, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

export async function disconnectDatabase() {
  const current = globalState.__anshangDb;
  if (current?.client) await current.client.$disconnect();
  if (current) current.client = undefined;
}

export async function isDatabaseUp(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

export type { PrismaClient };
export { Prisma } from "./generated/client";
