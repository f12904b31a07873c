// The Node server: validated config, database (PostgreSQL or embedded PGlite), security headers, compression,
// request logs, /healthz, the Remix handler, and a graceful shutdown that lets PGlite flush to disk.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import morgan from "morgan";
import { ConfigError, loadConfig, type AppConfig } from "~/config.server";
import { isDatabaseUp } from "~/db/client.server";
import { withDomainErrorResponses } from "~/utils/domain-responses.server";
import { anonymousPageCache } from "~/utils/page-cache.server";
import { isDatabaseEmpty, migrateDatabase, openDatabase, type OpenDatabase } from "~/db/setup.server";
import { expireOverdueOrders } from "~/domain/shop/checkout.server";
import { printDemoLogins, seedDemoData } from "./prisma/seed";

const HEALTH_TIMEOUT_MS = 2_000;
const SHUTDOWN_GRACE_MS = 10_000;
const PAGE_CACHE_TTL_MS = 2_000;
const EXPIRY_SWEEP_MS = 60_000;

async function main() {
  let config: AppConfig;
  try {
    config = loadConfig();
    (globalThis as { __anshangConfig?: AppConfig }).__anshangConfig = config;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const started = Date.now();
  const database = await openDatabase(config);
  const applied = await migrateDatabase(database.url);
  if (applied.length) console.log(`Applied ${applied.length} migration(s).`);
  if (config.seedDemo && (await isDatabaseEmpty())) {
    await seedDemoData();
    console.log("Seeded the demo data.");
  }

  const app = await createApp(config);
  const server = app.listen(config.port, config.host, () => {
    const where = database.embedded ? `embedded PGlite in ${config.dataDir}` : "PostgreSQL";
    console.log(`Anshang shop on http://localhost:${config.port} (${where}), ready in ${Date.now() - started} ms`);
    if (config.seedDemo) printDemoLogins();
  });
  // Unpaid card orders give their stock back without a cron job: every server sweeps, each order is taken once.
  const sweeper = setInterval(() => {
    expireOverdueOrders().catch((error: unknown) => console.error("Expiring unpaid orders failed:", error));
  }, EXPIRY_SWEEP_MS).unref();
  handleShutdown(server, database, () => clearInterval(sweeper));
}

async function createApp(config: AppConfig) {
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", true);

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      // Vite's dev server injects inline scripts of its own, so the policy is enforced on production builds.
      contentSecurityPolicy: config.isProduction
        ? {
            directives: {
              "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
              "img-src": ["'self'", "data:", "blob:"],
              "connect-src": ["'self'"],
              "form-action": [
                "'self'",
                "https://checkout.stripe.com",
                ...(config.stripe.apiBase
                  ? [`${config.stripe.apiBase.protocol}://${config.stripe.apiBase.host}:${config.stripe.apiBase.port}`]
                  : []),
              ],
              "upgrade-insecure-requests": null,
            },
          }
        : false,
      strictTransportSecurity: config.appUrl.startsWith("https://"),
      // "no-referrer" would make browsers send `Origin: null` on plain form posts, which the CSRF check refuses.
      referrerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // Answers to form posts are redirects and short data; a gzip stream per answer costs more than it saves.
  app.use(compression({ filter: (req, res) => SAFE_METHODS.has(req.method) && compression.filter(req, res) }));
  if (config.isProduction) app.use(anonymousPageCache({ ttlMs: PAGE_CACHE_TTL_MS, paths: /^\/(products\/[^/.]+)?$/ }));
  if (config.logRequests) app.use(morgan(config.isProduction ? "combined" : "dev"));
  app.use(rejectCrossSiteWrites);

  app.get("/healthz", (_req, res, next) => {
    Promise.race([isDatabaseUp(), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS).unref())])
      .then((up) =>
        res
          .status(up ? 200 : 503)
          .set("Cache-Control", "no-store")
          .json({ ok: up, db: up ? "up" : "down" }),
      )
      .catch(next);
  });

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (config.isProduction) {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(express.static("build/client", { maxAge: "1h" }));
    // @ts-expect-error the server build exists only after `remix vite:build`
    build = withDomainErrorResponses((await import("./build/server/index.js")) as ServerBuild);
  } else {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true } });
    app.use(devServer.middlewares);
    app.use(express.static("public", { maxAge: "1h" }));
    build = async () => withDomainErrorResponses((await devServer.ssrLoadModule("virtual:remix/server-build")) as ServerBuild);
  }

  const handleRemixRequest = createRequestHandler({
    build,
    mode: config.isProduction ? "production" : "development",
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientIp: req.ip ?? "unknown" }),
  });
  app.all("*", (req, res, next) => {
    handleRemixRequest(req, res, next).catch(next);
  });
  return app;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence together with SameSite=Lax session cookies: a state-changing request whose Origin (or, failing
 * that, Referer) names another site is refused. Stripe's webhook is server-to-server and signed instead.
 */
function rejectCrossSiteWrites(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (SAFE_METHODS.has(req.method) || req.path.startsWith("/webhooks/")) return next();
  const source = req.get("origin") ?? req.get("referer");
  if (!source) return next();
  let sourceHost: string;
  try {
    sourceHost = new URL(source).host;
  } catch {
    sourceHost = "";
  }
  if (sourceHost === req.get("host")) return next();
  res.status(403).type("text/plain").send("Cross-site request refused");
}

function handleShutdown(server: Server, database: OpenDatabase, stopBackgroundWork: () => void) {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopBackgroundWork();
    console.log(`${signal}: finishing open requests, then closing the database.`);
    const force = setTimeout(() => {
      console.error("Requests still open after the grace period; closing anyway.");
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(force);
      void database.close().then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
