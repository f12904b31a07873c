import pg from "pg";

const shared = globalThis as { __floorPool?: pg.Pool };

/** One `SELECT 1` on the benchmark's PostgreSQL, through a pool as large as the shop's (10). */
export async function selectOne(): Promise<number> {
  shared.__floorPool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const result = await shared.__floorPool.query<{ one: number }>("SELECT 1 AS one");
  return result.rows[0]!.one;
}
