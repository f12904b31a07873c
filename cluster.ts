// `npm run serve -- --workers N`: N app processes (node:cluster) sharing the port, each a whole server with its own
// pool and job workers, all on one PostgreSQL. The primary only prepares the database, starts the workers, starts a
// new one when one dies, passes SIGTERM on, and adds the workers' metrics up for /metrics.
import cluster, { type Worker } from "node:cluster";
import { randomUUID } from "node:crypto";
import client from "prom-client";
import type { AppConfig } from "~/config.server";
import { logger } from "~/utils/logger.server";
import { metrics } from "~/utils/metrics.server";

const RESTART_DELAY_MS = 1_000;

/** `--workers N` (or WEB_CONCURRENCY); 1 when neither is given. */
export function workerCount(args: string[]) {
  const index = args.indexOf("--workers");
  const value = index >= 0 ? args[index + 1] : process.env.WEB_CONCURRENCY;
  if (value === undefined) return 1;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    console.error(`--workers needs a whole number from 1 to 64, got ${value}`);
    process.exit(1);
  }
  return count;
}

type MetricsRequest = { kind: "metrics-request"; id: string };
type MetricsAnswer = { kind: "metrics-answer"; id: string; body: string };

export function runCluster(workers: number, config: AppConfig) {
  const aggregator = new client.AggregatorRegistry();
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on("message", (message: MetricsRequest) => {
      if (message?.kind !== "metrics-request") return;
      aggregator
        .clusterMetrics()
        .then((body) => worker.send({ kind: "metrics-answer", id: message.id, body } satisfies MetricsAnswer))
        .catch((error: unknown) => logger().error({ err: error }, "collecting the workers' metrics failed"));
    });
    return worker;
  };
  for (let i = 0; i < workers; i++) fork();
  cluster.on("exit", (worker: Worker, code, signal) => {
    if (stopping) return;
    logger().error({ worker: worker.process.pid, code, signal }, "an app process died; starting another");
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal, workers }, "stopping the app processes");
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  logger().info({ workers, port: config.port }, `starting ${workers} app processes`);
}

if (cluster.isWorker) {
  // prom-client's cluster support answers the primary from the registry named here, once an aggregator exists.
  client.AggregatorRegistry.setRegistries([metrics().registry]);
  new client.AggregatorRegistry();
}

/** In a worker: every worker's metrics, added up by the primary. */
export function clusterMetrics(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error("The cluster's primary did not answer with the metrics"));
    }, 5_000);
    const onMessage = (message: MetricsAnswer) => {
      if (message?.kind !== "metrics-answer" || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      resolve(message.body);
    };
    process.on("message", onMessage);
    process.send!({ kind: "metrics-request", id } satisfies MetricsRequest);
  });
}
