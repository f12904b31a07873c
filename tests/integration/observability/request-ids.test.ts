// The request id follows the work it started (issue 12, observability): into the jobs a request queues and their log
// lines, onto the error page of a request that failed, and beside every slow query, with the route that ran it.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { ErrorPage } from "~/components/error-page";
import { enqueue, workDueJobs } from "~/jobs/queue.server";
import { withDomainErrorResponses } from "~/utils/domain-responses.server";
import { useLogDestination, withLogContext } from "~/utils/logger.server";
import { truncateAllTables } from "../../setup/reset";

type Line = { msg: string; requestId?: string; route?: string; job?: string; jobId?: string; ms?: number; err?: { message: string } };
let lines: Line[] = [];
const REQUEST_ID = "req-observe-0001";

beforeAll(() => {
  useLogDestination({ write: (text: string) => void lines.push(JSON.parse(text) as Line) });
});
afterAll(() => {
  useLogDestination({ write: () => undefined }, "fatal");
});
beforeEach(async () => {
  await truncateAllTables();
  lines = [];
});

describe("request ids", () => {
  it("travel with a job queued while serving a request, into the job's log lines", async () => {
    const id = await withLogContext({ requestId: REQUEST_ID, route: "routes/admin.jobs" }, () => enqueue("ledger.audit", {}));
    await workDueJobs(["ledger.audit"]);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "job done", requestId: REQUEST_ID, job: "ledger.audit", jobId: id }));
  });

  it("are logged with an unexpected error and answered with it as a 500, which the error page shows", async () => {
    const build = {
      routes: {
        "routes/broken": {
          id: "routes/broken",
          path: "broken",
          module: {
            loader: () => {
              throw new Error("the disk is full");
            },
          },
        },
      },
    } as unknown as ServerBuild;
    const loader = withDomainErrorResponses(build).routes["routes/broken"]!.module.loader!;
    const thrown = await withLogContext({ requestId: REQUEST_ID, route: "routes/broken" }, () =>
      Promise.resolve(loader({} as never)).catch((error: unknown) => error),
    );
    expect(thrown).toMatchObject({ data: { requestId: REQUEST_ID }, init: { status: 500 } });
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: "unexpected error",
        requestId: REQUEST_ID,
        route: "routes/broken",
        err: expect.objectContaining({ message: "the disk is full" }),
      }),
    );
    const page = renderToString(createElement(ErrorPage, { status: 500, bilingual: true, requestId: REQUEST_ID }));
    expect(page).toContain(REQUEST_ID);
    expect(page).toContain("错误编号");
  });
});

describe("slow queries", () => {
  it("are logged when they take over 100 ms, with the route and request that ran them", async () => {
    // Prisma runs a query when it is awaited, so the await belongs inside the request's context, as in a loader.
    await withLogContext({ requestId: REQUEST_ID, route: "routes/team.reports" }, async () => {
      await db.$executeRaw`SELECT pg_sleep(0.15)`;
    });
    await db.$queryRaw`SELECT 1`;
    const slow = lines.filter((line) => line.msg === "slow query");
    expect(slow).toEqual([expect.objectContaining({ requestId: REQUEST_ID, route: "routes/team.reports", ms: expect.any(Number) })]);
    expect(slow[0]!.ms).toBeGreaterThanOrEqual(100);
  });
});
