import { beforeEach, describe, expect, it } from "vitest";
import { createUserSession } from "~/auth/session.server";
import { db } from "~/db/client.server";
import { action as activateAction } from "~/routes/activate";
import { action as adminRosterAction } from "~/routes/admin.units.$unitId.roster";
import { action as rosterAction, loader as rosterLoader } from "~/routes/organizer.roster";
import { truncateAllTables } from "../../setup/reset";
import { outcome, routeRequest } from "../route-helpers";

let unit: { id: string };
let cookie: string;

beforeEach(async () => {
  await truncateAllTables();
  unit = await db.unit.create({ data: { code: "A", name: "机关", nameEn: "HQ" } });
  const organizer = await db.user.create({
    data: { name: "组织者", phone: "13900000000", passwordHash: "x", unitId: unit.id, roles: { create: [{ role: "organizer" }] } },
  });
  cookie = (await createUserSession(organizer.id, "/")).headers.get("Set-Cookie")!.split(";")[0]!;
});

function upload(intent: string, file: Blob | string, name = "roster.csv") {
  const form = new FormData();
  form.set("intent", intent);
  form.set("file", typeof file === "string" ? new File([file], name, { type: "text/csv" }) : file, name);
  return new Request("http://localhost/organizer/roster", { method: "POST", headers: { Cookie: cookie }, body: form });
}

const run = (request: Request) => outcome(() => rosterAction({ request, params: {}, context: {} }));

describe("the organizer's roster page", () => {
  it("previews, imports what was previewed, and shows the codes once; the employee activates and is signed in", async () => {
    const file = "姓名,手机号\n张三,13800000001\n李四,abc\n";
    const preview = await run(upload("preview", file));
    expect(preview).toMatchObject({ status: 200, data: { preview: { counts: { new: 1, existing: 0, rejected: 1 } } } });
    expect(await db.user.count()).toBe(1);

    const imported = await run(upload("import", file));
    expect(imported).toMatchObject({
      status: 200,
      data: { done: "roster.imported?count=1", issued: [{ name: "张三", phone: "13800000001" }] },
    });
    const code = (imported.data as { issued: { code: string }[] }).issued[0]!.code;
    const page = await outcome(() => rosterLoader({ request: routeRequest("/organizer/roster", cookie), params: {}, context: {} }));
    expect(JSON.stringify(page.data)).not.toContain(code);
    expect((page.data as { members: { name: string; state: string }[] }).members.map((m) => [m.name, m.state])).toContainEqual([
      "张三",
      "pending",
    ]);

    const again = await run(upload("import", file));
    expect(again).toMatchObject({ status: 200, data: { done: "roster.nothingNew", issued: [] } });

    const activate = (password: string) =>
      activateAction({
        request: routeRequest("/activate", "", { phone: "138 0000 0001", code, password }),
        params: {},
        context: { clientIp: "1.1.1.1" },
      });
    const response = (await activate("first-password")) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Set-Cookie")).toMatch(/=/);
    expect(await outcome(() => activate("second-password"))).toMatchObject({
      status: 409,
      data: { result: { error: { code: ["activation.errors.used"] } } },
    });
    expect(await outcome(() => activate("short"))).toMatchObject({
      status: 400,
      data: { result: { error: { password: ["errors.passwordTooShort"] } } },
    });
  });

  it("answers bad files with the file field's message and writes nothing", async () => {
    expect(await run(upload("preview", new File([new Uint8Array([0, 1, 2])], "x.bin"), "x.bin"))).toMatchObject({
      status: 422,
      data: { result: { error: { file: ["roster.errors.notSpreadsheet"] } } },
    });
    expect(await run(upload("preview", ""))).toMatchObject({ status: 422, data: { result: { error: { file: ["roster.errors.empty"] } } } });
    expect(await run(upload("import", "x".repeat(3 * 1024 * 1024)))).toMatchObject({
      status: 413,
      data: { result: { error: { file: ["roster.errors.tooBig?max=2"] } } },
    });
    expect(await run(upload("delete", "张三,13800000001"))).toMatchObject({ status: 422 });
    expect(await db.user.count()).toBe(1);
    expect(await db.auditLog.count()).toBe(0);
  });

  it("is the organizer's own unit only: another unit's page is the admin's", async () => {
    const other = await db.unit.create({ data: { code: "B", name: "一队", nameEn: "Team 1" } });
    const form = new FormData();
    form.set("intent", "import");
    form.set("file", new File(["张三,13800000001"], "r.csv"));
    const request = new Request(`http://localhost/admin/units/${other.id}/roster`, {
      method: "POST",
      headers: { Cookie: cookie },
      body: form,
    });
    expect((await outcome(() => adminRosterAction({ request, params: { unitId: other.id }, context: {} }))).status).toBe(403);
    expect(await db.user.count({ where: { unitId: other.id } })).toBe(0);
  });
});
