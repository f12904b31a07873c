// Writing the demo's thousands of rows: one INSERT … SELECT over a JSON array per table, so a table costs one
// statement and one parameter however many rows it gets (createMany sends every value as its own parameter, which
// the embedded database parses one by one). Columns left out of the rows take their defaults; timestamps are written
// as the UTC wall time Prisma stores (the "Z" of an ISO string is ignored by a timestamp without time zone).
import { Prisma } from "~/db/client.server";

type Tx = Pick<Prisma.TransactionClient, "$executeRaw">;

export async function insertRows(tx: Tx, table: string, rows: object[]) {
  if (rows.length === 0) return;
  const columns = Prisma.raw(
    Object.keys(rows[0]!)
      .map((column) => `"${column}"`)
      .join(", "),
  );
  const name = Prisma.raw(`"${table}"`);
  await tx.$executeRaw`INSERT INTO ${name} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${name}, ${JSON.stringify(rows)}::json)`;
}
