// Summaries the benchmarks print: percentiles of one sample's latencies, and min/median/max over samples.

/** The p-th percentile (nearest rank) of values; 0 for none. */
export function percentile(values: number[], p: number) {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export type Spread = { min: number; median: number; max: number };

export function spread(values: number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) return { min: NaN, median: NaN, max: NaN };
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

/** A number with as many decimals as make sense for its size. */
export function fmt(value: number, digits?: number) {
  if (!Number.isFinite(value)) return "–";
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toFixed(d);
}

/** "min / median / max" of a spread, each formatted alike. */
export function fmtSpread(s: Spread, digits?: number) {
  return `${fmt(s.min, digits)} / ${fmt(s.median, digits)} / ${fmt(s.max, digits)}`;
}

export function pct(ratio: number) {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %` : "–";
}

/** Runs `run` once to warm up, then `runs` times; prints and returns min/median/max of the wall time in ms. */
export async function timeRepeated(label: string, run: () => Promise<unknown>, runs: number, labelWidth = 52): Promise<Spread> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  const s = spread(samples);
  console.log(
    `${label.padEnd(labelWidth)} min ${s.min.toFixed(1).padStart(7)} ms   median ${s.median.toFixed(1).padStart(7)} ms   max ${s.max.toFixed(1).padStart(7)} ms`,
  );
  return s;
}
