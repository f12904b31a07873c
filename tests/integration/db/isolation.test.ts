// Each test file has a database of its own: other files (schema.test.ts seeds the demo village, others create shops)
// run at the same time and never show up here. This file clears nothing, so it also proves the template is clean.
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";

describe("a test file's database", () => {
  it("starts empty but migrated", async () => {
    expect(await db.village.count()).toBe(0);
    expect(await db.user.count()).toBe(0);
    expect(await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM _prisma_migrations`).not.toEqual([{ n: 0 }]);
  });

  it("holds what this file wrote and nothing else", async () => {
    await db.village.create({ data: { name: "隔离村", nameEn: "Isolation", county: "魏县" } });
    expect(await db.village.findMany({ select: { nameEn: true } })).toEqual([{ nameEn: "Isolation" }]);
  });
});
