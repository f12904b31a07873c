// The parent's handle on the load generator process (loadgen.ts), and the headers a phone's browser sends.
import path from "node:path";
import { startChild } from "./child";
import type { BuyersJob, BuyersResult, ClosedJob, ClosedResult } from "./loadgen";

export type { BuyersResult, ClosedResult, LoadResult, RequestSpec, Step } from "./loadgen";

export async function startLoadGenerator() {
  const child = await startChild<ClosedJob | BuyersJob, ClosedResult | BuyersResult>(path.join(import.meta.dirname, "loadgen.ts"));
  return {
    pid: child.pid,
    closed: (job: Omit<ClosedJob, "kind">) => child.call({ kind: "closed", ...job }) as Promise<ClosedResult>,
    buyers: (job: Omit<BuyersJob, "kind">) => child.call({ kind: "buyers", ...job }) as Promise<BuyersResult>,
    stop: child.stop,
  };
}

export type LoadGenerator = Awaited<ReturnType<typeof startLoadGenerator>>;

const USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36";

/** A page load (a document request), as Chromium on a phone sends it; it accepts compressed pages. */
export function documentHeaders(cookie?: string): Record<string, string> {
  return {
    "user-agent": USER_AGENT,
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-language": "zh-CN,zh;q=0.9,en;q=0.8",
    "accept-encoding": "gzip, deflate, br",
    ...(cookie ? { cookie } : {}),
  };
}

/** A form submitted with JavaScript on: Remix's single-fetch POST to `<route>.data`, same-origin. */
export function formPostHeaders(origin: string, cookie?: string): Record<string, string> {
  return {
    "user-agent": USER_AGENT,
    accept: "*/*",
    "accept-language": "zh-CN,zh;q=0.9,en;q=0.8",
    "accept-encoding": "gzip, deflate, br",
    "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
    origin,
    ...(cookie ? { cookie } : {}),
  };
}
