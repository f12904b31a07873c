// The load generator: a process of its own (started by load-generator.ts) with its own undici connection pool.
// Two kinds of job: `closed` keeps N requests in flight for a while (rotating through a list of requests, e.g. one
// per signed-in buyer), and `buyers` walks each buyer through a sequence of steps, arriving at a steady pace.
import { randomUUID } from "node:crypto";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { Pool } from "undici";
import { serveJobs } from "./child";
import { percentile } from "./stats";

export type RequestSpec = { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: string };

export type ClosedJob = {
  kind: "closed";
  origin: string;
  requests: RequestSpec[];
  connections: number;
  durationMs: number;
  /** Statuses that count as the expected answer; anything else is reported with the first bodies seen. */
  expect: number[];
};

export type Step = RequestSpec & {
  name: string;
  expect: number[];
  /**
   * Values to pick out of the answer's body for later steps (`{{name}}` in a path or body): the first group of the
   * pattern that matched. A value not found gets a random UUID (and is not counted under `extracted <name>`).
   */
  extract?: Record<string, string>;
  /** Named regular expressions; the answers whose body matches are counted (e.g. "sold": an order's address). */
  marks?: Record<string, string>;
};

export type BuyersJob = {
  kind: "buyers";
  origin: string;
  /** Keeps each buyer's extracted values between jobs, so their steps can be run one job per step. */
  scenario: string;
  /** Per buyer: the values its steps use, e.g. its session cookie. */
  buyers: Record<string, string>[];
  steps: Step[];
  /** Which steps this job runs, in order, for every buyer. */
  stepIndexes: number[];
  connections: number;
  /** Buyer i starts at i × arrivalMs / buyers.length; 0 sends them all at once. */
  arrivalMs: number;
  /** A request not answered by then counts as unanswered. */
  timeoutMs: number;
};

export type LoadResult = {
  count: number;
  answered: number;
  unexpected: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Milliseconds from the job's start to the first request sent and to the last answer received. */
  firstSentMs: number;
  lastAnsweredMs: number;
  marks: Record<string, { count: number; lastMs: number }>;
  samples: string[];
};

export type ClosedResult = LoadResult & { elapsedMs: number; generatorCpuMs: number };
export type BuyersResult = { elapsedMs: number; generatorCpuMs: number; steps: Record<string, LoadResult> };

class Recorder {
  latencies: number[] = [];
  statuses: Record<string, number> = {};
  unexpected = 0;
  errors = 0;
  firstSent = Infinity;
  lastAnswered = 0;
  marks: Record<string, { count: number; lastMs: number }> = {};
  samples: string[] = [];

  constructor(
    private readonly started: number,
    private readonly expect: number[],
  ) {}

  sent(at: number) {
    this.firstSent = Math.min(this.firstSent, at - this.started);
  }

  answered(status: number, ms: number, at: number, body: () => string) {
    this.latencies.push(ms);
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    this.lastAnswered = Math.max(this.lastAnswered, at - this.started);
    if (!this.expect.includes(status)) {
      this.unexpected++;
      if (this.samples.length < 3) this.samples.push(`${status} ${body().slice(0, 400)}`);
    }
  }

  mark(name: string, at: number) {
    const mark = (this.marks[name] ??= { count: 0, lastMs: 0 });
    mark.count++;
    mark.lastMs = Math.max(mark.lastMs, at - this.started);
  }

  failed(error: unknown) {
    this.errors++;
    if (this.samples.length < 3) this.samples.push(`error ${error instanceof Error ? error.message : String(error)}`);
  }

  result(): LoadResult {
    return {
      count: this.latencies.length + this.errors,
      answered: this.latencies.length,
      unexpected: this.unexpected,
      errors: this.errors,
      statuses: this.statuses,
      p50: percentile(this.latencies, 50),
      p90: percentile(this.latencies, 90),
      p99: percentile(this.latencies, 99),
      max: percentile(this.latencies, 100),
      firstSentMs: Number.isFinite(this.firstSent) ? this.firstSent : 0,
      lastAnsweredMs: this.lastAnswered,
      marks: this.marks,
      samples: this.samples,
    };
  }
}

const pools = new Map<string, Pool>();

function pool(origin: string, connections: number, timeoutMs: number) {
  const key = `${origin} ${connections} ${timeoutMs}`;
  let found = pools.get(key);
  if (!found) {
    found = new Pool(origin, { connections, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 30_000 });
    pools.set(key, found);
  }
  return found;
}

/** The body as text, decompressed only when a step needs to read it (the server compresses pages). */
function decoded(raw: Buffer, encoding: string | string[] | undefined) {
  try {
    if (encoding === "gzip") return gunzipSync(raw).toString();
    if (encoding === "br") return brotliDecompressSync(raw).toString();
    if (encoding === "deflate") return inflateSync(raw).toString();
  } catch {
    return raw.toString();
  }
  return raw.toString();
}

async function send(target: Pool, spec: RequestSpec) {
  const response = await target.request({ method: spec.method, path: spec.path, headers: spec.headers, body: spec.body });
  const raw = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, text: () => decoded(raw, response.headers["content-encoding"]) };
}

async function runClosed(job: ClosedJob): Promise<ClosedResult> {
  const target = pool(job.origin, job.connections, 120_000);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const recorder = new Recorder(started, job.expect);
  const deadline = started + job.durationMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < deadline) {
        const spec = job.requests[next++ % job.requests.length]!;
        const t0 = performance.now();
        recorder.sent(t0);
        try {
          const answer = await send(target, spec);
          const t1 = performance.now();
          recorder.answered(answer.status, t1 - t0, t1, answer.text);
        } catch (error) {
          recorder.failed(error);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ...recorder.result(), elapsedMs, generatorCpuMs: (used.user + used.system) / 1000 };
}

const scenarios = new Map<string, Map<number, Record<string, string>>>();

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? "");

async function runBuyers(job: BuyersJob): Promise<BuyersResult> {
  const target = pool(job.origin, job.connections, job.timeoutMs);
  const state = scenarios.get(job.scenario) ?? new Map<number, Record<string, string>>();
  scenarios.set(job.scenario, state);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const recorders = new Map(job.stepIndexes.map((i) => [i, new Recorder(started, job.steps[i]!.expect)]));
  const marks = job.steps.map((step) => Object.entries(step.marks ?? {}).map(([name, source]) => [name, new RegExp(source)] as const));
  const extracts = job.steps.map((step) => Object.entries(step.extract ?? {}).map(([name, source]) => [name, new RegExp(source)] as const));

  await Promise.all(
    job.buyers.map(async (buyer, index) => {
      const values = state.get(index) ?? { ...buyer };
      state.set(index, values);
      const startAt = started + (job.arrivalMs * index) / job.buyers.length;
      const wait = startAt - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      for (const stepIndex of job.stepIndexes) {
        const step = job.steps[stepIndex]!;
        const recorder = recorders.get(stepIndex)!;
        const headers = Object.fromEntries(Object.entries(step.headers).map(([name, value]) => [name, fill(value, values)]));
        const spec = { method: step.method, path: fill(step.path, values), headers, body: step.body && fill(step.body, values) };
        const t0 = performance.now();
        recorder.sent(t0);
        try {
          const answer = await send(target, spec);
          const t1 = performance.now();
          recorder.answered(answer.status, t1 - t0, t1, answer.text);
          const needsBody = marks[stepIndex]!.length + extracts[stepIndex]!.length > 0;
          const text = needsBody ? answer.text() : "";
          for (const [name, pattern] of marks[stepIndex]!) if (pattern.test(text)) recorder.mark(name, t1);
          for (const [name, pattern] of extracts[stepIndex]!) {
            const found = pattern.exec(text)?.slice(1).find(Boolean);
            if (found) recorder.mark(`extracted ${name}`, t1);
            values[name] = found ?? randomUUID();
          }
        } catch (error) {
          recorder.failed(error);
          for (const [name] of extracts[stepIndex]!) values[name] ??= randomUUID();
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const steps: Record<string, LoadResult> = {};
  for (const [index, recorder] of recorders) steps[job.steps[index]!.name] = recorder.result();
  return { elapsedMs, generatorCpuMs: (used.user + used.system) / 1000, steps };
}

serveJobs<ClosedJob | BuyersJob>((job) => (job.kind === "closed" ? runClosed(job) : runBuyers(job)));
