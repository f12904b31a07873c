// Work done for several requests at once logs under all of them, or under none: never under whichever started it.
import { describe, expect, it } from "vitest";
import { logContext, withLogContext, withRequestsLogContext } from "~/utils/logger.server";

const starter = { requestId: "req-starter", route: "routes/checkout" };

describe("withRequestsLogContext", () => {
  it("names every request once, and the route or job they share", () => {
    const seen = withLogContext(starter, () =>
      withRequestsLogContext(
        [
          { requestId: "req-a", route: "routes/checkout" },
          { requestId: "req-b", route: "routes/checkout" },
          { requestId: "req-a", route: "routes/checkout" },
        ],
        logContext,
      ),
    );
    expect(seen).toEqual({ requestId: "req-a,req-b", route: "routes/checkout" });
  });

  it("leaves out a route or job the requests do not share", () => {
    const seen = withRequestsLogContext(
      [
        { requestId: "req-a", route: "routes/checkout" },
        { requestId: "req-b", route: "routes/organizer.group-orders.$id._index", job: "bulk" },
      ],
      logContext,
    );
    expect(seen).toEqual({ requestId: "req-a,req-b" });
  });

  it("runs outside the starter's context when none of the work came from a request", async () => {
    const seen = await withLogContext(starter, () => withRequestsLogContext([undefined], async () => logContext()));
    expect(seen).toBeUndefined();
  });
});
