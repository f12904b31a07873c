import { db } from "~/db/client.server";

/**
 * Empties every table of this test file's database (TRUNCATE fires no row triggers, so the append-only ledger can be
 * cleared too), for files whose tests each start from nothing.
 */
export async function truncateAllTables() {
  const tables = await db.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  await db.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
}
