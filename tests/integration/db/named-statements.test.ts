// The pool's reads are prepared once per connection on PostgreSQL and sent unnamed to the embedded database
// (decision 27): PostgreSQL lists a connection's protocol-level prepared statements in pg_prepared_statements.
import { describe, expect, inject, it } from "vitest";
import { queryRows, statement } from "~/db/client.server";

const onPostgres = inject("testDatabase").kind === "postgres";
const PREPARED = `SELECT "name" FROM pg_prepared_statements WHERE NOT "from_sql"`;

describe("statements on the pool", () => {
  it.runIf(onPostgres)("are named by their text on PostgreSQL: the same text one name, another text another", () => {
    const first = statement("SELECT 1", []);
    expect(statement("SELECT 1", [2]).name).toBe(first.name);
    expect(statement("SELECT 2", []).name).not.toBe(first.name);
  });

  it.runIf(onPostgres)("are prepared on the connection that runs them, under their name", async () => {
    const names = (await queryRows<{ name: string }>("test", PREPARED, [])).map((row) => row.name);
    expect(names).toContain(statement(PREPARED, []).name);
  });

  it.skipIf(onPostgres)("are sent unnamed to the embedded database", async () => {
    expect(statement(PREPARED, []).name).toBeUndefined();
    expect(await queryRows("test", PREPARED, [])).toEqual([]);
  });
});
