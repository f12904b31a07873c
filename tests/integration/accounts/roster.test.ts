import ExcelJS from "exceljs";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { db } from "~/db/client.server";
import { activateAccount } from "~/domain/accounts/activation.server";
import { MAX_ROSTER_ROWS } from "~/domain/accounts/roster-file.server";
import { importRoster, previewRoster, reissueActivationCode, rosterMembers, type RosterViewer } from "~/domain/accounts/roster.server";
import { isDomainError } from "~/domain/errors";
import { truncateAllTables } from "../../setup/reset";

let unitA: { id: string };
let unitB: { id: string };
let organizer: RosterViewer;
let admin: RosterViewer;

beforeEach(async () => {
  await truncateAllTables();
  unitA = await db.unit.create({ data: { code: "A", name: "机关", nameEn: "HQ" } });
  unitB = await db.unit.create({ data: { code: "B", name: "一队", nameEn: "Team 1" } });
  const user = await db.user.create({
    data: { name: "组织者", phone: "13900000000", passwordHash: "x", unitId: unitA.id, roles: { create: [{ role: "organizer" }] } },
  });
  organizer = { id: user.id, roles: ["organizer"], unitId: unitA.id };
  const adminUser = await db.user.create({
    data: { name: "管理员", email: "admin@t.example", passwordHash: "x", roles: { create: [{ role: "admin" }] } },
  });
  admin = { id: adminUser.id, roles: ["admin"], unitId: null };
});

const csv = (text: string, name = "roster.csv") => new File([text], name, { type: "text/csv" });

async function xlsx(rows: (string | number | { formula: string })[][]) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("名单");
  for (const row of rows) sheet.addRow(row);
  return new File([new Uint8Array(await workbook.xlsx.writeBuffer())], "roster.xlsx");
}

async function refusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (isDomainError(error)) return { status: error.status, code: error.code, field: error.refusals[0]!.field };
    throw error;
  }
  throw new Error("expected a refusal");
}

const written = async () => ({
  users: await db.user.count(),
  codes: await db.activationCode.count(),
  audits: await db.auditLog.count(),
});

describe("roster preview", () => {
  it("checks every row and says what is wrong with each, writing nothing", async () => {
    await db.user.create({ data: { name: "别人", phone: "13800000009", passwordHash: "x", unitId: unitB.id } });
    const before = await written();
    const preview = await previewRoster(
      organizer,
      unitA.id,
      csv(
        [
          "姓名,手机号,部门",
          "张三,13800000001,财务处",
          "李四,1380000,办公室",
          "王五,13800000001,",
          "赵六,13800000009,",
          '"=HYPERLINK(""http://x"")",13800000002,',
          ",13800000003,",
          "钱七,+86 138-0000-0004,工会",
        ].join("\r\n"),
      ),
    );
    expect(preview.counts).toEqual({ new: 2, existing: 0, rejected: 5 });
    const byLine = Object.fromEntries(preview.rows.map((row) => [row.line, { status: row.status, problems: row.problems }]));
    expect(byLine).toEqual({
      2: { status: "new", problems: [] },
      3: { status: "rejected", problems: ["badPhone"] },
      4: { status: "rejected", problems: ["duplicateInFile"] },
      5: { status: "rejected", problems: ["otherUnit"] },
      6: { status: "rejected", problems: ["formula"] },
      7: { status: "rejected", problems: ["nameMissing"] },
      8: { status: "new", problems: [] },
    });
    expect(preview.rows.find((row) => row.line === 8)).toMatchObject({ phone: "13800000004", department: "工会" });
    expect(await written()).toEqual(before);
  });

  it("reads XLSX, numbers as phones, and refuses a formula cell", async () => {
    const file = await xlsx([
      ["姓名", "手机", "部门"],
      ["张三", 13800000001, "财务处"],
      ["李四", { formula: "A2&A2" }, ""],
    ]);
    const preview = await previewRoster(admin, unitA.id, file);
    expect(preview.rows.map((row) => [row.line, row.status, row.problems])).toEqual([
      [3, "rejected", ["formula", "badPhone"]],
      [2, "new", []],
    ]);
  });

  it("refuses a file that is not a spreadsheet, an empty one, one too long, and another unit's organizer", async () => {
    expect(
      await refusal(() => previewRoster(organizer, unitA.id, new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0])], "x.xls"))),
    ).toEqual({
      status: 422,
      code: "roster.errors.notSpreadsheet",
      field: "file",
    });
    expect(
      await refusal(() => previewRoster(organizer, unitA.id, new File([new Uint8Array([0x50, 0x4b, 3, 4, 9, 9])], "x.xlsx"))),
    ).toMatchObject({
      code: "roster.errors.notSpreadsheet",
    });
    expect(await refusal(() => previewRoster(organizer, unitA.id, csv("\n\n")))).toMatchObject({
      status: 422,
      code: "roster.errors.empty",
    });
    expect(await refusal(() => previewRoster(organizer, unitA.id, csv("姓名,手机号\n")))).toMatchObject({ code: "roster.errors.empty" });
    expect(
      await refusal(() => previewRoster(organizer, unitA.id, new File([new Uint8Array([0xc0, 0xaf, 0x2c])], "gbk.csv"))),
    ).toMatchObject({
      code: "roster.errors.notUtf8",
    });
    const long = ["姓名,手机号", ...Array.from({ length: 10_000 }, (_, i) => `人${i},138${String(i).padStart(8, "0")}`)].join("\n");
    expect(await refusal(() => previewRoster(organizer, unitA.id, csv(long)))).toEqual({
      status: 422,
      code: "roster.errors.tooManyRows",
      field: "file",
    });
    expect(MAX_ROSTER_ROWS).toBeLessThan(10_000);
    expect(await refusal(() => previewRoster(organizer, unitB.id, csv("张三,13800000001")))).toMatchObject({ status: 403 });
    expect(await refusal(() => previewRoster({ ...organizer, roles: ["employee"] }, unitA.id, csv("张三,13800000001")))).toMatchObject({
      status: 403,
    });
    expect(await db.auditLog.count()).toBe(0);
  });
});

describe("roster import", () => {
  const file = () => csv("姓名,手机号,部门\n张三,13800000001,财务处\n李四,13800000002,\n坏行,123,\n");

  it("creates the accepted rows' accounts with one-time codes, and importing the same file again changes nothing", async () => {
    const first = await importRoster(organizer, unitA.id, file(), "roster.csv");
    expect(first.counts).toEqual({ new: 2, existing: 0, rejected: 1 });
    expect(first.issued.map((code) => [code.name, code.phone])).toEqual([
      ["张三", "13800000001"],
      ["李四", "13800000002"],
    ]);
    expect(first.issued[0]!.code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    const users = await db.user.findMany({
      where: { unitId: unitA.id, phone: { not: "13900000000" } },
      select: { name: true, department: true, roles: { select: { role: true } }, activation: { select: { codeHash: true } } },
      orderBy: { phone: "asc" },
    });
    expect(users.map((u) => [u.name, u.department, u.roles.map((r) => r.role)])).toEqual([
      ["张三", "财务处", ["employee"]],
      ["李四", null, ["employee"]],
    ]);
    // Only a hash is kept.
    expect(users[0]!.activation!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await db.activationCode.findMany())).not.toContain(first.issued[0]!.code);
    expect(await db.auditLog.findFirstOrThrow({ where: { action: "roster.import" } })).toMatchObject({
      actorId: organizer.id,
      entityId: unitA.id,
      changes: { created: 2, existing: 0, rejected: 1, file: "roster.csv" },
    });

    const before = await written();
    const again = await importRoster(organizer, unitA.id, file(), "roster.csv");
    expect(again.counts).toEqual({ new: 0, existing: 2, rejected: 1 });
    expect(again.issued).toEqual([]);
    expect(await written()).toEqual(before);
  });

  it("lets an admin import into any unit, and refuses a concurrent twin without a partial write", async () => {
    const results = await Promise.allSettled([
      importRoster(admin, unitB.id, file(), "a.csv"),
      importRoster(admin, unitB.id, file(), "a.csv"),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    expect(fulfilled.length).toBeGreaterThanOrEqual(1);
    for (const result of results)
      if (result.status === "rejected") expect(result.reason).toMatchObject({ status: 409, code: "roster.errors.changedMeanwhile" });
    expect(await db.user.count({ where: { unitId: unitB.id } })).toBe(2);
    expect(await db.activationCode.count()).toBe(2);
  });
});

describe("activation", () => {
  async function imported() {
    const outcome = await importRoster(organizer, unitA.id, csv("张三,13800000001\n"), "r.csv");
    return outcome.issued[0]!;
  }

  it("works once: sets the password with the phone and code, then the code opens nothing", async () => {
    const issued = await imported();
    const { id } = await activateAccount(
      { phone: "13800000001", code: issued.code.toLowerCase().replace("-", " "), password: "new-secret-1" },
      "1.2.3.4",
    );
    const user = await db.user.findUniqueOrThrow({
      where: { id },
      select: { passwordHash: true, activation: { select: { usedAt: true } } },
    });
    expect(await verifyPassword(user.passwordHash, "new-secret-1")).toBe(true);
    expect(user.activation!.usedAt).not.toBeNull();
    expect(await db.auditLog.count({ where: { action: "account.activate", entityId: id } })).toBe(1);

    expect(await refusal(() => activateAccount({ phone: "13800000001", code: issued.code, password: "other-secret" }, "1.2.3.4"))).toEqual({
      status: 409,
      code: "activation.errors.used",
      field: "code",
    });
    const after = await db.user.findUniqueOrThrow({ where: { id }, select: { passwordHash: true } });
    expect(after.passwordHash).toBe(user.passwordHash);
  });

  it("refuses a wrong code or phone (422), an expired code (409), and writes nothing", async () => {
    const issued = await imported();
    expect(
      await refusal(() => activateAccount({ phone: "13800000001", code: "AAAAA-BBBBB", password: "new-secret-1" }, "1.2.3.4")),
    ).toEqual({
      status: 422,
      code: "activation.errors.wrongCode",
      field: "code",
    });
    expect(
      await refusal(() => activateAccount({ phone: "13800000002", code: issued.code, password: "new-secret-1" }, "1.2.3.4")),
    ).toMatchObject({
      code: "activation.errors.wrongCode",
    });
    await db.activationCode.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await refusal(() => activateAccount({ phone: "13800000001", code: issued.code, password: "new-secret-1" }, "1.2.3.4"))).toEqual({
      status: 409,
      code: "activation.errors.expired",
      field: "code",
    });
    expect(await db.activationCode.count({ where: { usedAt: { not: null } } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "account.activate" } })).toBe(0);

    // The organizer issues a new code; the old one stops working and the new one activates.
    const user = await db.user.findUniqueOrThrow({ where: { phone: "13800000001" } });
    expect((await rosterMembers(organizer, unitA.id)).members.find((m) => m.id === user.id)?.state).toBe("expired");
    const fresh = await reissueActivationCode(organizer, unitA.id, user.id);
    expect(
      await refusal(() => activateAccount({ phone: "13800000001", code: issued.code, password: "new-secret-1" }, "1.2.3.4")),
    ).toMatchObject({
      code: "activation.errors.wrongCode",
    });
    await activateAccount({ phone: "13800000001", code: fresh.code, password: "new-secret-1" }, "1.2.3.4");
    expect(await refusal(() => reissueActivationCode(organizer, unitA.id, user.id))).toMatchObject({ status: 409 });
  });

  it("locks the phone out after repeated wrong codes (429), even with the right one", async () => {
    const issued = await imported();
    for (let i = 0; i < 5; i++)
      await refusal(() => activateAccount({ phone: "13800000001", code: "AAAAA-BBBBB", password: "x".repeat(8) }, "5.6.7.8"));
    expect(
      await refusal(() => activateAccount({ phone: "13800000001", code: issued.code, password: "new-secret-1" }, "5.6.7.8")),
    ).toMatchObject({
      status: 429,
    });
  });
});
