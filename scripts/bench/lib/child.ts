// A helper process that takes jobs over IPC: the load generator and the database callers each run in one, so no
// figure is ever taken on the event loop of the thing it measures.
import { fork, type ChildProcess } from "node:child_process";

type Reply = { id: number; result?: unknown; error?: string };

export type Child<Job, Result> = {
  pid: number;
  call: (job: Job) => Promise<Result>;
  stop: () => Promise<void>;
};

/** Forks `file` (TypeScript, through tsx) and waits until it says it is ready. */
export async function startChild<Job, Result>(file: string, env: Record<string, string | undefined> = {}): Promise<Child<Job, Result>> {
  const child: ChildProcess = fork(file, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: Result) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
  child.on("message", (message: Reply) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(`${file}: ${message.error}`));
    else waiting.resolve(message.result as Result);
  });
  child.on("exit", (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`${file} exited with ${code}`));
    pending.clear();
  });
  return {
    pid: child.pid!,
    call: (job) =>
      new Promise<Result>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, job });
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The child's side: answers each job with `handle`'s result (or its error), one message per job. */
export function serveJobs<Job>(handle: (job: Job) => Promise<unknown>) {
  process.on("message", (message: { id: number; job: Job }) => {
    handle(message.job).then(
      (result) => process.send!({ id: message.id, result }),
      (error: unknown) => process.send!({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on("disconnect", () => process.exit(0));
  process.send!({ ready: true });
}
