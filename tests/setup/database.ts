// Runs before each integration test file: gives the file a database of its own, copied from the migrated template,
// and points the app's Prisma client at it before the test file's imports can touch `db`.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { configureDatabase, disconnectDatabase } from "~/db/client.server";
import { EMBEDDED_POOL, startEmbeddedDatabase } from "~/db/embedded.server";
import { jobQueue, stopJobQueue } from "~/jobs/queue.server";
import { FILE_DATABASE_PREFIX, TEMPLATE_LOCK, databaseUrl, markInUse } from "./test-database";

const testDatabase = inject("testDatabase");

async function onServer(serverUrl: string, run: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

if (testDatabase.kind === "postgres") {
  const { serverUrl, template } = testDatabase;
  const name = `${FILE_DATABASE_PREFIX}${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    await markInUse(client, name);
  });
  configureDatabase(databaseUrl(serverUrl, name));
  afterAll(async () => {
    await stopJobQueue();
    await disconnectDatabase();
    await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });
} else {
  const database = await startEmbeddedDatabase({ loadDataDir: new Blob([await readFile(testDatabase.dumpPath)]) });
  configureDatabase(database.url, EMBEDDED_POOL);
  // The embedded database has one connection: a command that queues a job inside its transaction holds it, so the
  // queue must have started (its own queries) before then, as the server starts it before serving.
  await jobQueue();
  afterAll(async () => {
    await stopJobQueue();
    await disconnectDatabase();
    await database.stop();
  });
}
