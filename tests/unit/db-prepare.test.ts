// `npm start` on a fresh machine prepares the embedded database in a process of its own while it builds
// (scripts/build-if-changed.mjs runs `tsx scripts/db.ts prepare`): migrations and the demo, once, so the server
// that starts after the build finds both done.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { readMigrationsList } from "~/db/schema-engine.server";

function prepare(dataDir: string) {
  return new Promise<{ status: number | null; output: string }>((resolve) => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", SEED_DEMO: "true", NODE_ENV: "development" as const };
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/db.ts", "prepare"], { env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("close", (status) => resolve({ status, output }));
  });
}

async function contents(dataDir: string) {
  const database = await PGlite.create({ dataDir: path.join(dataDir, "pglite") });
  try {
    const count = async (sql: string) => Number((await database.query<{ n: number }>(sql)).rows[0]!.n);
    return {
      migrations: await count(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`),
      villages: await count(`SELECT count(*)::int AS n FROM "Village"`),
      households: await count(`SELECT count(*)::int AS n FROM "Household"`),
    };
  } finally {
    await database.close();
  }
}

describe("db.ts prepare", () => {
  // Creating, migrating and seeding an embedded database takes ~12 s of one core on a quiet machine.
  it("migrates and seeds a new embedded database once, and leaves a prepared one as it is", { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "anshang-prepare-"));
    const first = await prepare(dataDir);
    expect(first.status, first.output).toBe(0);
    const prepared = await contents(dataDir);
    expect(prepared.migrations).toBe((await readMigrationsList()).migrationDirectories.length);
    expect(prepared.villages).toBeGreaterThan(0);
    expect(prepared.households).toBe(300);

    const again = await prepare(dataDir);
    expect(again.status, again.output).toBe(0);
    expect(await contents(dataDir)).toEqual(prepared);
  });
});
