// The floors the shop is measured beside, each started as its own process by the benchmarks (lib/servers.ts):
//   FLOOR=remix    the minimal Remix app (built by `npm run bench:floor`) on Express 4, request log on (pino, as the shop)
//   FLOOR=express  an Express 4 route reading the form and running one SELECT 1, request log on
// PORT, HOST and DATABASE_URL as for the shop.
import { pathToFileURL } from "node:url";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import pino from "pino";
import { selectOne } from "./app/db.server";
import { FLOOR_BUILD_DIR } from "./paths";

const kind = process.env.FLOOR;
const app = express();
app.disable("x-powered-by");
// One JSON line per request through pino, as the shop's request log writes it.
const log = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
app.use((req, res, next) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    log.info({ method: req.method, url: req.originalUrl, status: res.statusCode, ms }, "request");
  });
  next();
});
app.get("/healthz", (_req, res, next) => {
  selectOne().then(() => res.json({ ok: true }), next);
});

if (kind === "remix") {
  const build = (await import(pathToFileURL(path.join(FLOOR_BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  app.use("/assets", express.static(path.join(FLOOR_BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(FLOOR_BUILD_DIR, "client"), { maxAge: "1h" }));
  const handle = createRequestHandler({ build, mode: "production" });
  app.all("*", (req, res, next) => {
    handle(req, res, next).catch(next);
  });
} else if (kind === "express") {
  app.get("/express", (_req, res, next) => {
    selectOne().then((one) => res.type("html").send(`<!DOCTYPE html><p>floor ${one}</p>`), next);
  });
  app.post("/express", express.urlencoded({ extended: false }), (req, res, next) => {
    selectOne().then((one) => res.json({ one, fields: Object.keys(req.body as object).length }), next);
  });
} else {
  throw new Error(`FLOOR must be remix or express, not ${kind}`);
}

const server = app.listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
