// What the global setup (global-setup.ts) and each test file's setup (database.ts) must agree on.
import type pg from "pg";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { kind: "postgres"; serverUrl: string; template: string } | { kind: "pglite"; dumpPath: string };
  }
}

/**
 * PostgreSQL refuses to copy a template while anything else is connected to it, including another CREATE DATABASE
 * copying it, so building, copying and dropping our databases take turns under this advisory lock, across runs too.
 */
export const TEMPLATE_LOCK = 7_420_161;

export const TEMPLATE_PREFIX = "anshang_tpl_";
export const FILE_DATABASE_PREFIX = "anshang_t_";

/**
 * Stamps a template or per-file database with the time a run took it into use. The server may be shared by several
 * runs (other checkouts, other migrations), so the global setup drops only databases no run has used for a while.
 */
export async function markInUse(client: pg.Client, name: string) {
  await client.query(`COMMENT ON DATABASE "${name}" IS '${new Date().toISOString()}'`);
}

export function databaseUrl(serverUrl: string, name: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
