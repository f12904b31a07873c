// What every benchmark does around its measurements: options from flags or the environment, a scratch folder for
// server logs, cleanup on the way out (also on Ctrl-C), a header saying where and on what the figures were taken,
// the goals printed beside the figures, and optionally everything as JSON for a before → after comparison.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { withSql } from "./database";
import { loadAverage } from "./proc";
import { REPO_ROOT } from "./servers";

type OptionSpec = { env: string; default: number; help: string };

/** Numeric options, each from `--name N`, else from its environment variable, else its default. */
export function numericOptions<T extends Record<string, OptionSpec>>(specs: T, flags: Record<string, { type: "boolean" }> = {}) {
  const { values: parsed } = parseArgs({
    options: {
      ...Object.fromEntries(Object.keys(specs).map((name) => [name, { type: "string" as const }])),
      ...flags,
      json: { type: "string" },
      help: { type: "boolean" },
    },
    allowPositionals: false,
  });
  const values = parsed as Record<string, string | boolean | undefined>;
  if (values.help) {
    for (const [name, spec] of Object.entries(specs)) console.log(`  --${name} N  (${spec.env}, default ${spec.default})  ${spec.help}`);
    for (const name of Object.keys(flags)) console.log(`  --${name}`);
    console.log("  --json FILE  also write the figures as JSON");
    process.exit(0);
  }
  const numbers = {} as Record<keyof T, number>;
  for (const [name, spec] of Object.entries(specs) as [keyof T & string, OptionSpec][]) {
    const raw = (values[name] as string | undefined) ?? process.env[spec.env];
    const value = raw === undefined ? spec.default : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0, not ${raw}`);
    numbers[name] = value;
  }
  const booleans = Object.fromEntries(Object.keys(flags).map((name) => [name, values[name] === true])) as Record<string, boolean>;
  return { ...numbers, flags: booleans, json: values.json as string | undefined };
}

export type Run = {
  dir: string;
  logFile: (name: string) => string;
  /** Registers cleanup, run last-first when the benchmark ends, fails or is interrupted. */
  defer: (cleanup: () => Promise<unknown>) => void;
  started: number;
};

export async function benchRun(title: string, body: (run: Run) => Promise<void>) {
  const dir = mkdtempSync(path.join(tmpdir(), "anshang-bench-"));
  const cleanups: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of cleanups.reverse()) await step().catch((error: unknown) => console.error("cleanup:", error));
    })());
  const interrupted = (signal: string) => {
    console.error(`\n${signal}: stopping the servers and dropping the benchmark database…`);
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const run: Run = { dir, logFile: (name) => path.join(dir, `${name}.log`), defer: (step) => cleanups.push(step), started: Date.now() };
  console.log(`\n${title}`);
  let failed = false;
  try {
    await body(run);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await cleanup();
    if (failed) console.error(`server logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
    console.log(`benchmark took ${((Date.now() - run.started) / 1000).toFixed(0)} s`);
  }
}

function git(...args: string[]) {
  try {
    return execFileSync("git", args, { cwd: REPO_ROOT }).toString().trim();
  } catch {
    return "?";
  }
}

/** Where the figures were taken: the commit, Node, the CPUs, the database and its commit setting, the load. */
export async function printSetting(databaseUrl: string | null) {
  const dirty = git("status", "--porcelain", "--untracked-files=no") ? " with uncommitted changes" : "";
  let database = "embedded PGlite (inside the app process: its CPU is counted as the server's)";
  if (databaseUrl) {
    database = await withSql(databaseUrl, async (sql) => {
      const setting = async (name: string) =>
        (await sql.query<{ value: string }>("SELECT current_setting($1) AS value", [name])).rows[0]!.value;
      const version = await setting("server_version");
      const commit = await setting("synchronous_commit");
      return `PostgreSQL ${version} on this machine (synchronous_commit ${commit})`;
    });
  }
  const cores = cpus();
  console.log(
    `${new Date().toISOString()} | ${git("rev-parse", "--abbrev-ref", "HEAD")} @ ${git("rev-parse", "--short", "HEAD")}${dirty} | ` +
      `Node ${process.version} | ${cores.length} × ${cores[0]?.model.trim() ?? "CPU"} | ${database}`,
  );
  console.log(
    `load average at start: ${loadAverage().join(" ")} (1, 5, 15 min; above ${cores.length} the machine is busy with other work)`,
  );
}

export type Goal = { label: string; value: string; goal: string; met: boolean | null };

export function printGoals(goals: Goal[]) {
  console.log("\ngoals (medians of the samples):");
  for (const g of goals) {
    const verdict = g.met === null ? "reported" : g.met ? "met" : "NOT met";
    console.log(`  ${g.met === false ? "✗" : g.met ? "✓" : "·"} ${g.label}: ${g.value} (goal ${g.goal}) — ${verdict}`);
  }
}

export function printNotCovered(lines: string[]) {
  console.log("\nwhat these figures do not cover:");
  for (const line of lines) console.log(`  - ${line}`);
}

export function writeJson(file: string | undefined, data: unknown) {
  if (!file) return;
  writeFileSync(file, JSON.stringify(data, null, 2));
  console.log(`figures written to ${file}`);
}
