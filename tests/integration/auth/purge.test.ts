// Issue 17, point 10: the nightly maintenance job deletes expired sessions and sign-in attempts older than a day,
// and keeps everything still in use.
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { JOBS } from "~/jobs/jobs.server";

const HOUR = 60 * 60 * 1000;

describe("the scheduled purge (maintenance.purge)", () => {
  it("is scheduled, deletes expired sessions and day-old sign-in attempts, and keeps the rest", async () => {
    expect(JOBS["maintenance.purge"].schedule).toBeTruthy();
    const user = await db.user.create({ data: { name: "清理", email: `purge-${Date.now()}@t.example`, passwordHash: "x" } });
    const now = Date.now();
    await db.session.createMany({
      data: [
        { id: "expired", userId: user.id, expiresAt: new Date(now - HOUR) },
        { id: "current", userId: user.id, expiresAt: new Date(now + HOUR) },
      ],
    });
    await db.loginAttempt.createMany({
      data: [
        { identifier: "13800000009", ip: "203.0.113.1", succeeded: false, createdAt: new Date(now - 25 * HOUR) },
        { identifier: "13800000009", ip: "203.0.113.1", succeeded: false, createdAt: new Date(now - HOUR) },
      ],
    });

    expect(await JOBS["maintenance.purge"].run({}, { jobId: "test", lastAttempt: true })).toEqual({ sessions: 1, loginAttempts: 1 });
    expect((await db.session.findMany({ select: { id: true } })).map((s) => s.id)).toEqual(["current"]);
    expect(await db.loginAttempt.count()).toBe(1);
    // Run again (a retry after a crash), it finds nothing more to do.
    expect(await JOBS["maintenance.purge"].run({}, { jobId: "test", lastAttempt: true })).toEqual({ sessions: 0, loginAttempts: 0 });
  });
});
