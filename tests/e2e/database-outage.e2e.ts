// The database goes away and comes back: /healthz says so, pages and actions answer 503 with Retry-After and the
// translated error page (issue 17, point 4), the process keeps running, and everything works again once the
// database is back — without a restart.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/free-port";

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function until(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/**
 * The database's address, in front of the PGlite socket server: `cut` closes the address and every connection
 * through it at once, as a database host going away does; `restore` opens it again. PGLiteSocketServer.stop() cannot
 * stand in for this: it waits for its connections to end, and one that was in the middle of a query never did.
 */
async function databaseAddress(port: number, target: number) {
  const open = new Set<Socket>();
  let server: Server | null = null;
  const restore = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(target, "127.0.0.1");
        for (const socket of [client, upstream]) {
          open.add(socket);
          socket.on("close", () => open.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const cut = () => {
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of open) socket.destroy();
    server = null;
    return closed;
  };
  await restore();
  return { cut, restore };
}

describe("a database outage", () => {
  it("is reported by /healthz and the pages, and the shop recovers when the database returns", async () => {
    const db = await PGlite.create();
    const socketPort = await freePort();
    const socket = new PGLiteSocketServer({ db, host: "127.0.0.1", port: socketPort, maxConnections: 32 });
    await socket.start();
    cleanups.push(() => db.close());
    // Run after the app and the address are gone (cleanups run in reverse), so it has no connection to wait for.
    cleanups.push(() => socket.stop());
    const dbPort = await freePort();
    const database = await databaseAddress(dbPort, socketPort);
    cleanups.push(() => database.cut());

    const appPort = await freePort();
    const dataDir = await mkdtemp(path.join(tmpdir(), "anshang-outage-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const app = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(appPort),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres?sslmode=disable`,
        SEED_DEMO: "true",
        LOG_REQUESTS: "false",
        SESSION_SECRET: "outage-session-secret-0123456789abcdef",
        ID_HASH_KEY: "outage-id-hash-key-0123456789abcdefgh",
      },
      stdio: "ignore",
    });
    cleanups.push(async () => {
      const exited = new Promise((resolve) => app.once("exit", resolve));
      app.kill("SIGTERM");
      await exited;
    });
    const base = `http://127.0.0.1:${appPort}`;
    const health = async () => (await fetch(`${base}/healthz`)).json() as Promise<{ ok: boolean; db: string }>;
    // A cookie keeps the request out of the anonymous page cache, so every request really reaches the database.
    const page = () => fetch(`${base}/products/peaches`, { headers: { Cookie: "probe=1", "Accept-Language": "zh-CN" } });

    expect(await until(async () => (await health()).ok, 90_000)).toBe(true);
    expect((await page()).status).toBe(200);

    await database.cut();
    expect(await until(async () => (await fetch(`${base}/healthz`)).status === 503, 10_000)).toBe(true);
    expect(await health()).toEqual({ ok: false, db: "down" });
    // Every route answers 503 with Retry-After and the translated page that says the database is away: a page,
    // its data, and an action (signing in) alike.
    const down = await page();
    expect(down.status).toBe(503);
    expect(down.headers.get("Retry-After")).toBe("30");
    expect(await down.text()).toContain("数据库暂时无法连接");
    const english = await fetch(`${base}/products/peaches`, { headers: { Cookie: "probe=1", "Accept-Language": "en" } });
    expect(english.status).toBe(503);
    expect(await english.text()).toContain("The database cannot be reached right now");
    const data = await fetch(`${base}/products/peaches.data`, { headers: { Cookie: "probe=1" } });
    expect(data.status).toBe(503);
    const signIn = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "zh-CN" },
      body: new URLSearchParams({ login: "13800000001", password: "anshang2026" }),
      redirect: "manual",
    });
    expect(signIn.status).toBe(503);
    expect(signIn.headers.get("Retry-After")).toBe("30");
    expect(await signIn.text()).toContain("数据库暂时无法连接");
    expect(app.exitCode).toBeNull();

    await database.restore();
    expect(await until(async () => (await health()).ok, 15_000)).toBe(true);
    expect(await until(async () => (await page()).status === 200, 15_000)).toBe(true);
    // The first start migrates and seeds a database behind a socket: up to 90 s on a busy machine, as awaited above.
  }, 150_000);
});
