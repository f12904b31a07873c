// What the benchmarks read from Linux's /proc: CPU time of a process and everything it started, and the load average.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of the utime/stime fields (USER_HZ, 100 on every Linux build seen here). */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

type Stat = { pid: number; ppid: number; ticks: number };

/** utime + stime of the process, plus cutime + cstime: the CPU of children it has already waited for. */
function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name is in parentheses and may hold spaces; the numeric fields follow the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const [ppid, utime, stime, cutime, cstime] = [1, 11, 12, 13, 14].map((i) => Number(fields[i]));
  return { pid, ppid: ppid!, ticks: utime! + stime! + cutime! + cstime! };
}

function allProcesses(): Stat[] {
  const stats: Stat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** The process and its live descendants (an app started with several workers is one tree). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of allProcesses()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU milliseconds used so far by a process tree (live descendants, and the ones it has reaped, via cutime). */
export function treeCpuMs(rootPid: number): number {
  return cpuMsOf(processTree(rootPid));
}

/** CPU milliseconds used so far by each of the given processes; a process that has gone counts as absent. */
export function cpuMsByPid(pids: number[]): Map<number, number> {
  const result = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) result.set(pid, (stat.ticks * 1000) / TICKS_PER_SECOND);
  }
  return result;
}

function cpuMsOf(pids: number[]) {
  let total = 0;
  for (const ms of cpuMsByPid(pids).values()) total += ms;
  return total;
}

/** The 1-, 5- and 15-minute load averages: how many processes wanted a CPU on this machine. */
export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = readFileSync("/proc/loadavg", "utf8").split(" ").map(Number);
  return [one!, five!, fifteen!];
}
