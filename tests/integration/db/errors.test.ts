// The same refusal reads the same whether Prisma sent the statement or the pool did (place_order runs on the pool).
import { describe, expect, it } from "vitest";
import { db, queryRows } from "~/db/client.server";
import { isCheckViolation, isDeadlock, isUniqueViolation, sqlState } from "~/db/errors.server";

const failure = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error("expected the statement to fail");
    },
    (error: unknown) => error,
  );

const uniqueViolation = `DO $$ BEGIN RAISE unique_violation USING MESSAGE = 'twin'; END $$`;
const checkViolation = `DO $$ BEGIN RAISE check_violation USING MESSAGE = 'too many'; END $$`;
const deadlock = `DO $$ BEGIN RAISE deadlock_detected USING MESSAGE = 'lots the other way round'; END $$`;

describe("a refused statement's SQLSTATE", () => {
  it.each([
    ["Prisma", (sql: string) => db.$executeRawUnsafe(sql)],
    ["the pool", (sql: string) => queryRows("test", sql, [])],
  ])("is read from %s", async (_via, run) => {
    const unique = await failure(run(uniqueViolation));
    expect(sqlState(unique)).toBe("23505");
    expect(isUniqueViolation(unique)).toBe(true);
    expect(isCheckViolation(unique)).toBe(false);
    const check = await failure(run(checkViolation));
    expect(isCheckViolation(check)).toBe(true);
    expect(isUniqueViolation(check)).toBe(false);
    const broken = await failure(run(deadlock));
    expect(isDeadlock(broken)).toBe(true);
    expect(isDeadlock(unique)).toBe(false);
  });

  it("is not guessed from an error PostgreSQL did not raise", () => {
    expect(sqlState(new Error("duplicate key value violates unique constraint"))).toBeUndefined();
    expect(isUniqueViolation(Object.assign(new Error("x"), { code: "23505" }))).toBe(false);
  });
});
