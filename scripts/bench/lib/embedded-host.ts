// Opens the shop's embedded database (a PGlite data folder) and serves it on a loopback socket, so the benchmarks
// can prepare it and read it back with plain SQL while the shop is stopped. SIGTERM closes it (PGlite flushes).
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { serveJobs } from "./child";

let db: PGlite | undefined;
let server: PGLiteSocketServer | undefined;

serveJobs<{ dataDir: string }>(async ({ dataDir }) => {
  db = await PGlite.create({ dataDir });
  server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
  await server.start();
  return `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
});

process.on("SIGTERM", () => {
  void (async () => {
    await server?.stop();
    await db?.close();
    process.exit(0);
  })();
});
