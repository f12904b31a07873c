import { db } from "~/db/client.server";

// DELETE with triggers off (replica role: no foreign-key checks, no append-only ledger trigger) costs ~15 ms on
// PostgreSQL, where TRUNCATE of every table costs ~250 ms, which adds up when run before each test. Only
// superusers may take the replica role; anyone else gets the TRUNCATE.
const EMPTY_ALL_TABLES = `
DO $$
DECLARE
  name text;
BEGIN
  SET LOCAL session_replication_role = replica;
  FOR name IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' LOOP
    EXECUTE format('DELETE FROM %I', name);
  END LOOP;
  FOR name IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER SEQUENCE %I RESTART', name);
  END LOOP;
EXCEPTION WHEN insufficient_privilege THEN
  EXECUTE (
    SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
    FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
  );
END
$$`;

/** Empties every table of this test file's database (the ledger too), for files whose tests each start from nothing. */
export async function truncateAllTables() {
  await db.$executeRawUnsafe(EMPTY_ALL_TABLES);
}
