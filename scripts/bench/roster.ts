// A roster import of 2,000 employees (the bureau's size) into one unit, from XLSX and from CSV, on a fresh PostgreSQL
// database, through the app's own functions as the roster page calls them: the preview, the import (accounts, roles,
// activation codes and the audit record in one transaction), and the same file again (which must create nothing).
// Each import runs on an emptied unit; the figures are the median and the range of BENCH_RUNS runs.
import { loadavg } from "node:os";
import ExcelJS from "exceljs";
import { configureDatabase, db, disconnectDatabase } from "~/db/client.server";
import { migrateDatabase } from "~/db/setup.server";
import { importRoster, previewRoster, type RosterViewer } from "~/domain/accounts/roster.server";
import { createBenchDatabase } from "./lib/database";

const ROWS = 2_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const people = Array.from({ length: ROWS }, (_, i) => ({
  name: `职工${i + 1}`,
  phone: `139${String(i).padStart(8, "0")}`,
  department: `第${(i % 12) + 1}科`,
}));

async function xlsxFile() {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("花名册");
  sheet.addRow(["姓名", "手机号", "部门"]);
  for (const person of people) sheet.addRow([person.name, Number(person.phone), person.department]);
  return new File([new Uint8Array(await workbook.xlsx.writeBuffer())], "roster.xlsx");
}

function csvFile() {
  return new File([["姓名,手机号,部门", ...people.map((p) => `${p.name},${p.phone},${p.department}`)].join("\r\n")], "roster.csv");
}

async function timed<T>(run: () => Promise<T>) {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)})`;
};

async function main() {
  const database = await createBenchDatabase("roster");
  try {
    configureDatabase(database.url);
    await migrateDatabase(database.url);
    const unit = await db.unit.create({ data: { code: "BENCH", name: "测试单位", nameEn: "Bench unit" } });
    const admin = await db.user.create({
      data: { name: "管理员", email: "admin@bench.example", passwordHash: "x", roles: { create: [{ role: "admin" }] } },
    });
    const viewer: RosterViewer = { id: admin.id, roles: ["admin"], unitId: null };
    const files = { xlsx: await xlsxFile(), csv: csvFile() };
    console.log(
      `roster of ${ROWS} rows: XLSX ${(files.xlsx.size / 1024).toFixed(0)} KB, CSV ${(files.csv.size / 1024).toFixed(0)} KB; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    for (const [format, file] of Object.entries(files)) {
      const times = { preview: [] as number[], import: [] as number[], again: [] as number[] };
      for (let run = 0; run < RUNS; run++) {
        await db.user.deleteMany({ where: { unitId: unit.id } });
        const preview = await timed(() => previewRoster(viewer, unit.id, file));
        if (preview.result.counts.new !== ROWS) throw new Error(`expected ${ROWS} new rows, got ${JSON.stringify(preview.result.counts)}`);
        const imported = await timed(() => importRoster(viewer, unit.id, file, file.name));
        if (imported.result.issued.length !== ROWS) throw new Error(`expected ${ROWS} codes, got ${imported.result.issued.length}`);
        const again = await timed(() => importRoster(viewer, unit.id, file, file.name));
        if (again.result.issued.length !== 0) throw new Error("the second import created accounts");
        times.preview.push(preview.ms);
        times.import.push(imported.ms);
        times.again.push(again.ms);
      }
      console.log(`${format}: preview ${summary(times.preview)}; import ${summary(times.import)}; same file again ${summary(times.again)}`);
    }
    console.log(`accounts in the unit: ${await db.user.count({ where: { unitId: unit.id } })}, codes: ${await db.activationCode.count()}`);
  } finally {
    await disconnectDatabase();
    await database.drop();
  }
}

await main();
