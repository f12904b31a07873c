// The Node server: validated config, database (PostgreSQL or embedded PGlite), the job queue, security headers,
// compression, structured request logs with a request id, /healthz, /metrics, the Remix handler, and a graceful
// shutdown that lets running jobs finish and PGlite flush to disk. `--workers N` runs N such processes (cluster.ts).
import cluster from "node:cluster";
import type { Server } from "node:http";
import zlib from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import expressStaticGzip from "express-static-gzip";
import helmet from "helmet";
import { ConfigError, loadConfig, type AppConfig } from "~/config.server";
import { isDatabaseUp } from "~/db/client.server";
import { checkoutPost, type CheckoutOutcome } from "~/utils/checkout-post.server";
import { withDomainErrorResponses } from "~/utils/domain-responses.server";
import { logger, namingRoutes, requestIdFrom, withLogContext, type LogContext } from "~/utils/logger.server";
import { metrics } from "~/utils/metrics.server";
import { anonymousPageCache, CATALOG_PAGES } from "~/utils/page-cache.server";
import { signedInPageCache } from "~/utils/signed-in-page-cache.server";
import { personalAnswersPrivate } from "~/utils/private-answers.server";
import { pooledRandomBytes } from "~/utils/random.server";
import { openDatabase, type OpenDatabase } from "~/db/setup.server";
import { startJobQueue, stopJobQueue } from "~/jobs/queue.server";
import { clusterMetrics, runCluster, workerCount } from "./cluster";
import { prepareDatabase } from "./prisma/prepare";
import { printDemoLogins } from "./prisma/seed";

const HEALTH_TIMEOUT_MS = 2_000;
const SHUTDOWN_GRACE_MS = 10_000;
const PAGE_CACHE_TTL_MS = 2_000;

function configOrExit(): AppConfig {
  try {
    const config = loadConfig();
    (globalThis as { __anshangConfig?: AppConfig }).__anshangConfig = config;
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main() {
  const config = configOrExit();
  const workers = workerCount(process.argv.slice(2));
  if (cluster.isPrimary && workers > 1) {
    if (config.embedded) {
      console.error("Several processes need PostgreSQL (DATABASE_URL): the embedded database lives inside one process.");
      process.exit(1);
    }
    const database = await openDatabase(config);
    await prepareDatabase(config, database.url);
    // Installs or upgrades the job tables and queues once, so the workers do not race to.
    await startJobQueue({ work: false });
    await stopJobQueue();
    await database.close();
    return runCluster(workers, config);
  }

  const started = Date.now();
  // The app (the server build) loads while the database opens.
  const [app, database] = await Promise.all([createApp(config), openDatabase(config)]);
  // The cluster's primary prepared the database before starting its workers.
  if (cluster.isPrimary) await prepareDatabase(config, database.url);
  // On PostgreSQL requests are served while the job queue starts; a job queued meanwhile waits for it (jobQueue()).
  // The embedded database has one connection, which a request's transaction holds while it queues a job: the queue's
  // own start-up queries could not run then, so there it starts before the first request.
  const queueStarted = startJobQueue({ work: config.workJobs });
  if (database.embedded) await queueStarted;
  else queueStarted.catch((error: unknown) => logger().error({ err: error }, "the job queue did not start"));
  const server = app.listen(config.port, config.host, () => {
    const where = database.embedded ? `embedded PGlite in ${config.dataDir}` : "PostgreSQL";
    logger().info({ port: config.port, ms: Date.now() - started }, `Anshang shop on http://localhost:${config.port} (${where})`);
    if (config.seedDemo && cluster.isPrimary) printDemoLogins();
  });
  handleShutdown(server, database);
}

async function createApp(config: AppConfig) {
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", true);

  app.use(requestContext(config));
  app.use(personalAnswersPrivate);
  app.use((_req, res, next) => {
    res.locals.cspNonce = pooledRandomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      // Vite's dev server injects inline scripts of its own, so the policy is enforced on production builds.
      contentSecurityPolicy: config.servesBuild
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
  // Answers to form posts are redirects and short data; a gzip stream per answer costs more than it saves. Brotli's
  // quality 1 takes a third of the CPU of the default 4 on a page for ~14 % more bytes (docs/decisions/0012-speed-closing-rush.md).
  app.use(
    compression({
      brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
      filter: (req, res) => SAFE_METHODS.has(req.method) && compression.filter(req, res),
    }),
  );
  if (config.servesBuild) app.use(anonymousPageCache({ ttlMs: PAGE_CACHE_TTL_MS, paths: CATALOG_PAGES }));
  app.use(rejectCrossSiteWrites);

  app.get("/metrics", (req, res, next) => {
    if (config.metricsToken && req.get("authorization") !== `Bearer ${config.metricsToken}`) {
      res.status(401).type("text/plain").send("Unauthorized");
      return;
    }
    (cluster.isWorker ? clusterMetrics() : metrics().registry.metrics())
      .then((body) => res.set("Content-Type", metrics().registry.contentType).set("Cache-Control", "no-store").send(body))
      .catch(next);
  });

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
  if (config.servesBuild) {
    // The build wrote each file's Brotli and gzip beside it (vite.config.ts); the compression middleware leaves an
    // answer that already has a Content-Encoding alone.
    app.use(
      "/assets",
      expressStaticGzip("build/client/assets", {
        enableBrotli: true,
        orderPreference: ["br", "gz"],
        index: false,
        serveStatic: { immutable: true, maxAge: "1y" },
      }),
    );
    const publicFiles = express.static("build/client", { maxAge: "1h", index: false });
    // Only a path that names a file can be one: a page request would otherwise cost a file-system look-up.
    app.use((req, res, next) => (STATIC_FILE.test(req.path) ? publicFiles(req, res, next) : next()));
    // @ts-expect-error the server build exists only after `remix vite:build`
    build = namingRoutes(withDomainErrorResponses((await import("./build/server/index.js")) as ServerBuild));
  } else {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true } });
    app.use(devServer.middlewares);
    app.use(express.static("public", { maxAge: "1h" }));
    build = async () =>
      namingRoutes(withDomainErrorResponses((await devServer.ssrLoadModule("virtual:remix/server-build")) as ServerBuild));
  }

  const mode = config.servesBuild ? "production" : "development";
  const getLoadContext = (req: express.Request, res: express.Response) => ({
    cspNonce: res.locals.cspNonce as string,
    clientIp: req.ip ?? "unknown",
    requestId: (res.locals.log as LogContext).requestId,
    // Set when the checkout POST in front of Remix ran the action and hands its outcome over (checkout-post.server.ts).
    checkoutOutcome: res.locals.checkoutOutcome as CheckoutOutcome | undefined,
  });
  const handleRemixRequest = createRequestHandler({ build, mode, getLoadContext });
  // A production build: the signed-in home and product pages are rendered once per unit, roles and language within the TTL.
  if (typeof build !== "function") {
    app.use(signedInPageCache({ ttlMs: PAGE_CACHE_TTL_MS, paths: CATALOG_PAGES, build, mode, getLoadContext }));
  }
  // The closing rush is mostly checkout submissions: their usual answers are written without Remix's request handling.
  app.post(["/checkout", "/checkout.data"], checkoutPost({ build, mode, getLoadContext }));
  app.all("*", (req, res, next) => {
    handleRemixRequest(req, res, next).catch(next);
  });
  return app;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** A public file's path: a last segment with an extension, other than Remix's `.data` requests. */
const STATIC_FILE = /\.(?!data$)[^/.]+$/;

/**
 * Gives each request an id (a load balancer's X-Request-Id, or a new one), answered in X-Request-Id, carried by
 * every log line written while serving it (and by the jobs it queues); when the answer is sent, one JSON line and
 * the latency histogram per route. Requests that never reach Remix are named by what served them.
 */
function requestContext(config: AppConfig) {
  const { requestSeconds } = metrics();
  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    const started = process.hrtime.bigint();
    const context: LogContext = { requestId: requestIdFrom(req.get("x-request-id")) };
    res.locals.log = context;
    res.setHeader("X-Request-Id", context.requestId);
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route =
        context.route ??
        (res.getHeader("X-Page-Cache")
          ? "page-cache"
          : req.path.startsWith("/assets/")
            ? "static"
            : /^\/(healthz|metrics)$/.test(req.path)
              ? req.path
              : "other");
      requestSeconds.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (config.logRequests) {
        logger().info(
          {
            method: req.method,
            url: req.originalUrl,
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
            cache: res.getHeader("X-Page-Cache"),
          },
          "request",
        );
      }
    });
    withLogContext(context, next);
  };
}

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

function handleShutdown(server: Server, database: OpenDatabase) {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, "finishing open requests and running jobs, then closing the database");
    const force = setTimeout(() => {
      logger().error("requests still open after the grace period; closing anyway");
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(force);
      void stopJobQueue()
        .catch((error: unknown) => logger().error({ err: error }, "stopping the job queue failed"))
        .then(() => database.close())
        .then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  logger().fatal({ err: error }, "the server could not start");
  process.exit(1);
});
