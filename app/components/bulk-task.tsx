import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";
import { useT } from "~/i18n/react";

type Task = {
  kind: "settle" | "cancel" | "fulfil";
  status: "queued" | "running" | "done" | "failed";
  done: number;
  total: number;
  outcome: unknown;
  error: string | null;
};

const POLL_MS = 1_000;

/**
 * The progress of long work on a group order (done by a job): done/total while it runs, then what it came to. The
 * page's data is reloaded every second until the task ends, so leaving and coming back shows where it is.
 */
export function BulkTaskProgress({ task }: { task: Task | null }) {
  const t = useT();
  const revalidator = useRevalidator();
  const running = task?.status === "queued" || task?.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  if (!task) return null;
  const kind = t(`tasks.kind.${task.kind}`);
  const outcome = (task.outcome ?? {}) as Record<string, number>;
  return (
    <div
      role="status"
      data-testid="bulk-task"
      data-status={task.status}
      className={`space-y-1 rounded-md border p-3 text-sm ${task.status === "failed" ? "border-red-200 bg-red-50 text-red-800" : "border-stone-200 bg-white"}`}
    >
      <p className="font-medium">
        {t("tasks.progress", { kind, done: task.done, total: task.total })} · {t(`tasks.status.${task.status}`)}
      </p>
      <progress className="w-full" max={Math.max(task.total, 1)} value={task.status === "done" ? Math.max(task.total, 1) : task.done} />
      {task.status === "done" ? <p>{t(`tasks.outcome.${task.kind}`, outcome)}</p> : null}
      {running && task.error ? <p className="text-amber-800">{t("tasks.lastError", { error: task.error })}</p> : null}
      {task.status === "failed" ? <p>{t("tasks.failed", { error: task.error ?? "" })}</p> : null}
    </div>
  );
}
