// `npm install` makes the migrated embedded database beside the build (scripts/build-if-changed.mjs runs
// `tsx scripts/db.ts template`); the first start loads it into the new data folder instead of creating and migrating
// a database, then seeds the demo once.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { readMigrationsList } from "~/db/schema-engine.server";

function db(command: "template" | "seed", dataDir: string) {
  return new Promise<{ status: number | null; output: string }>((resolve) => {
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "development" as const, LOG_LEVEL: "info" };
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/db.ts", command], { env });
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

const FROM_TEMPLATE = "created the embedded database from the migrated template";

describe("the first start of the embedded database", () => {
  // Making the template takes ~7 s of one core on a quiet machine, seeding the demo ~5 s.
  it(
    "loads the migrated template into a new data folder, seeds the demo once, and leaves it as it is after",
    { timeout: 240_000 },
    async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "anshang-first-start-"));
      const template = await db("template", dataDir);
      expect(template.status, template.output).toBe(0);
      expect(existsSync(dataDir) && readdirSync(dataDir)).toEqual([]);

      const first = await db("seed", dataDir);
      expect(first.status, first.output).toBe(0);
      expect(first.output).toContain(FROM_TEMPLATE);
      const seeded = await contents(dataDir);
      expect(seeded.migrations).toBe((await readMigrationsList()).migrationDirectories.length);
      expect(seeded.villages).toBeGreaterThan(0);
      expect(seeded.households).toBe(300);

      const again = await db("seed", dataDir);
      expect(again.status, again.output).toBe(0);
      expect(again.output).not.toContain(FROM_TEMPLATE);
      expect(await contents(dataDir)).toEqual(seeded);
    },
  );
});
