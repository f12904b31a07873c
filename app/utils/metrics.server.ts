// Prometheus metrics (prom-client), served at /metrics: request latency per route, checkout outcomes, placement
// batches, the job queue and the database pool. The server entry and the Remix build each load this module, so the
// metrics are made once and kept on globalThis; several app processes are added up by the cluster's primary
// (cluster.ts).
import client from "prom-client";

type Gauges = {
  poolWaiting: () => number;
  poolTotal: () => number;
  jobCounts: () => Promise<{ queue: string; state: string; count: number }[]>;
};

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const sources: Partial<Gauges> = {};
  const metrics = {
    registry,
    sources,
    requestSeconds: new client.Histogram({
      name: "http_request_duration_seconds",
      help: "Time from the request's arrival to the last byte of the answer, per Remix route",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    checkoutOutcomes: new client.Counter({
      name: "checkout_outcomes_total",
      help: "Checkout submissions by outcome: placed, replayed, or the first problem that refused it",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    placementBatchSize: new client.Histogram({
      name: "checkout_placement_batch_size",
      help: "Placements sent to the database together in one batch (one transaction); grows with the rate of checkouts",
      buckets: [1, 2, 4, 8, 16],
      registers: [registry],
    }),
    jobsWorked: new client.Counter({
      name: "jobs_worked_total",
      help: "Jobs this process ran, by queue and result (completed, failed)",
      labelNames: ["queue", "result"] as const,
      registers: [registry],
    }),
    slowQueries: new client.Counter({
      name: "db_slow_queries_total",
      help: "Database queries slower than the slow-query threshold, per route or job",
      labelNames: ["route"] as const,
      registers: [registry],
    }),
  };
  new client.Gauge({
    name: "db_pool_waiting",
    help: "Queries of this process waiting for a database connection",
    registers: [registry],
    collect() {
      this.set(sources.poolWaiting?.() ?? 0);
    },
  });
  new client.Gauge({
    name: "db_pool_connections",
    help: "Open database connections of this process's pool",
    registers: [registry],
    collect() {
      this.set(sources.poolTotal?.() ?? 0);
    },
  });
  new client.Gauge({
    name: "jobs",
    help: "Jobs in the queue by state (created = queued, retry, active, failed …); the same for every process",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    // Aggregated across processes by "max", since each process would report the same rows.
    aggregator: "max",
    async collect() {
      this.reset();
      for (const row of (await sources.jobCounts?.().catch(() => [])) ?? []) this.set({ queue: row.queue, state: row.state }, row.count);
    },
  });
  return metrics;
}

const shared = globalThis as { __anshangMetrics?: ReturnType<typeof createMetrics> };

export function metrics() {
  shared.__anshangMetrics ??= createMetrics();
  return shared.__anshangMetrics;
}

/** Where the gauges read their values: the database pool and the job tables, set once the process has them. */
export function provideMetricSources(sources: Partial<Gauges>) {
  Object.assign(metrics().sources, sources);
}

export function countCheckout(outcome: string) {
  metrics().checkoutOutcomes.inc({ outcome });
}

export function countPlacementBatch(size: number) {
  metrics().placementBatchSize.observe(size);
}
