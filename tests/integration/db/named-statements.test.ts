// The pool's reads are prepared once per connection on PostgreSQL and sent unnamed to the embedded database
// (decision 27): PostgreSQL lists a connection's protocol-level prepared statements in pg_prepared_statements.
import { describe, expect, inject, it } from "vitest";
import { databasePool, queryRows, statementName } from "~/db/client.server";

const onPostgres = inject("testDatabase").kind === "postgres";
const PREPARED = `SELECT "name" FROM pg_prepared_statements WHERE NOT "from_sql"`;

describe("statements on the pool", () => {
  it.runIf(onPostgres)("are named by their connection and their text", async () => {
    const [first, second] = [await databasePool().connect(), await databasePool().connect()];
    try {
      expect(statementName(first, "SELECT 1")).toBe(statementName(first, "SELECT 1"));
      expect(statementName(first, "SELECT 2")).not.toBe(statementName(first, "SELECT 1"));
      expect(statementName(second, "SELECT 1")).not.toBe(statementName(first, "SELECT 1"));
    } finally {
      first.release();
      second.release();
    }
  });

  it.runIf(onPostgres)("are prepared on PostgreSQL, under their name, on the connection that runs them", async () => {
    const names = (await queryRows<{ name: string }>("test", PREPARED, [])).map((row) => row.name);
    expect(names.some((name) => name.startsWith("anshang_"))).toBe(true);
    const connection = await databasePool().connect();
    try {
      await connection.query({ name: statementName(connection, PREPARED), text: PREPARED });
      const { rows } = await connection.query<{ name: string }>(PREPARED);
      expect(rows.map((row) => row.name)).toContain(statementName(connection, PREPARED));
    } finally {
      connection.release();
    }
  });

  it.skipIf(onPostgres)("are sent unnamed to the embedded database", async () => {
    expect(await queryRows("test", PREPARED, [])).toEqual([]);
  });
});
