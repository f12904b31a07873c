// Closed-loop request benchmarks: each target (a server and the requests it answers) gets `connections` requests in
// flight for a while, from the load generator's process; the server's CPU over that window, read from /proc, is
// divided by the requests it answered. Samples go round the targets (target A, B, C, then A, B, C again…), so a
// noisy minute on the shared machine lands on all of them alike, and every ratio is taken within one round.
import type { BackendWatch } from "./database";
import type { LoadGenerator, RequestSpec } from "./load-generator";
import { loadAverage } from "./proc";
import type { Server } from "./servers";
import { fmt, fmtSpread, pct, spread } from "./stats";

export type Target = {
  name: string;
  server: Pick<Server, "baseUrl" | "cpuMs">;
  requests: RequestSpec[];
  expect: number[];
  /** Runs before each sample of this target, outside its window (e.g. emptying the carts an add-to-cart fills). */
  beforeSample?: () => Promise<void>;
};

export type TargetSample = {
  load1: number;
  answered: number;
  unexpected: number;
  errors: number;
  requestsPerSecond: number;
  cpuMsPerRequest: number;
  dbCpuMsPerRequest: number | null;
  generatorCpuMsPerRequest: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  problems: string[];
};

export type Options = { samples: number; durationMs: number; warmMs: number; connections: number; backends?: BackendWatch };

export async function measureTargets(generator: LoadGenerator, targets: Target[], options: Options) {
  const results = new Map<string, TargetSample[]>(targets.map((t) => [t.name, []]));
  const load = (target: Target, durationMs: number) =>
    generator.closed({
      origin: target.server.baseUrl,
      requests: target.requests,
      connections: options.connections,
      durationMs,
      expect: target.expect,
    });
  if (options.warmMs > 0) {
    for (const target of targets) {
      await target.beforeSample?.();
      await load(target, options.warmMs);
    }
  }
  for (let sample = 1; sample <= options.samples; sample++) {
    const line: string[] = [];
    const load1 = loadAverage()[0];
    for (const target of targets) {
      await target.beforeSample?.();
      const dbBefore = await options.backends?.snapshot();
      const cpuBefore = target.server.cpuMs();
      const result = await load(target, options.durationMs);
      const cpuAfter = target.server.cpuMs();
      const dbAfter = await options.backends?.snapshot();
      const answered = Math.max(1, result.answered);
      const entry: TargetSample = {
        load1,
        answered: result.answered,
        unexpected: result.unexpected,
        errors: result.errors,
        requestsPerSecond: result.answered / (result.elapsedMs / 1000),
        cpuMsPerRequest: (cpuAfter - cpuBefore) / answered,
        dbCpuMsPerRequest: dbBefore && dbAfter && options.backends ? options.backends.used(dbBefore, dbAfter) / answered : null,
        generatorCpuMsPerRequest: result.generatorCpuMs / answered,
        p50: result.p50,
        p99: result.p99,
        statuses: result.statuses,
        problems: result.samples,
      };
      results.get(target.name)!.push(entry);
      line.push(`${target.name} ${fmt(entry.cpuMsPerRequest)} ms`);
    }
    console.log(`  sample ${sample}/${options.samples} (load ${load1.toFixed(2)}): ${line.join(" | ")}`);
  }
  return results;
}

export function printTargets(results: Map<string, TargetSample[]>) {
  const width = Math.max(...[...results.keys()].map((k) => k.length), 10);
  console.log(`\n${"".padEnd(width)}  server CPU ms/request  requests/s            p50 ms  p99 ms  db CPU   load gen  answers`);
  console.log(`${"".padEnd(width)}  min / median / max     min / median / max    median  median  ms/req   ms/req`);
  for (const [name, samples] of results) {
    const cpu = spread(samples.map((s) => s.cpuMsPerRequest));
    const rps = spread(samples.map((s) => s.requestsPerSecond));
    const db = spread(samples.map((s) => s.dbCpuMsPerRequest ?? NaN));
    const statuses = new Map<string, number>();
    for (const s of samples) for (const [status, n] of Object.entries(s.statuses)) statuses.set(status, (statuses.get(status) ?? 0) + n);
    const errors = samples.reduce((n, s) => n + s.errors, 0);
    const answers = [...statuses].map(([status, n]) => `${n}×${status}`).join(" ") + (errors ? ` ${errors} errors` : "");
    console.log(
      `${name.padEnd(width)}  ${fmtSpread(cpu).padEnd(21)}  ${fmtSpread(rps, 0).padEnd(20)}  ${fmt(spread(samples.map((s) => s.p50)).median).padStart(6)}  ${fmt(spread(samples.map((s) => s.p99)).median).padStart(6)}  ${fmt(db.median).padStart(6)}   ${fmt(spread(samples.map((s) => s.generatorCpuMsPerRequest)).median).padStart(6)}   ${answers}`,
    );
    const problems = [...new Set(samples.flatMap((s) => s.problems))].slice(0, 3);
    for (const problem of problems) console.log(`${"".padEnd(width)}  unexpected answer: ${problem.replace(/\s+/g, " ").slice(0, 300)}`);
  }
  const loads = [...results.values()][0]?.map((s) => s.load1.toFixed(2)) ?? [];
  console.log(`load average (1 min) at the start of each round: ${loads.join(", ")}`);
}

export type Ratio = { label: string; cpu: ReturnType<typeof spread>; rps: ReturnType<typeof spread> };

/**
 * How `name` compares with `base`, sample by sample (both measured in the same round): its CPU per request as a
 * multiple of the base's, and its requests/s as a share of the base's.
 */
export function ratio(results: Map<string, TargetSample[]>, name: string, base: string): Ratio {
  const a = results.get(name)!;
  const b = results.get(base)!;
  return {
    label: `${name} vs ${base}`,
    cpu: spread(a.map((s, i) => s.cpuMsPerRequest / b[i]!.cpuMsPerRequest)),
    rps: spread(a.map((s, i) => s.requestsPerSecond / b[i]!.requestsPerSecond)),
  };
}

export function printRatios(ratios: Ratio[]) {
  console.log("\nside by side, per round (min / median / max):");
  for (const r of ratios) {
    console.log(
      `  ${r.label}: CPU per request ×${fmtSpread(r.cpu)} | requests/s ${pct(r.rps.min)} / ${pct(r.rps.median)} / ${pct(r.rps.max)}`,
    );
  }
}

export const medianOf = (samples: TargetSample[], pick: (s: TargetSample) => number) => spread(samples.map(pick)).median;
