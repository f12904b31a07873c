// Issue 17, point 9: the embedded database's folder belongs to one process at a time; db:reset and db:seed refuse,
// with a message naming the holder, while a server has it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirInUseError, lockDataDir } from "~/db/embedded.server";

const running: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill();
});

/** Another live process, standing in for a running shop server. */
function otherProcess() {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  running.push(child);
  return child.pid!;
}

describe("the embedded database's folder lock", () => {
  it("is refused while another live process holds it, taken over from one that is gone, and released", async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "anshang-lock-")), "pglite");
    const holder = otherProcess();
    writeFileSync(`${dataDir}.lock`, `${holder}\n`);
    await expect(lockDataDir(dataDir)).rejects.toThrow(DataDirInUseError);
    await expect(lockDataDir(dataDir)).rejects.toThrow(new RegExp(`in use by process ${holder}`));

    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    writeFileSync(`${dataDir}.lock`, `${gone}\n`);
    const release = await lockDataDir(dataDir);
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${process.pid}\n`);
    await release();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it("makes npm run db:reset refuse, leaving the data in place, while a server holds the folder", () => {
    const dataDirRoot = mkdtempSync(path.join(tmpdir(), "anshang-lock-"));
    mkdirSync(path.join(dataDirRoot, "pglite"));
    writeFileSync(path.join(dataDirRoot, "pglite", "PG_VERSION"), "17\n");
    writeFileSync(path.join(dataDirRoot, "pglite.lock"), `${otherProcess()}\n`);
    const env = { ...process.env, DATA_DIR: dataDirRoot, DATABASE_URL: "", NODE_ENV: "development" as const };
    for (const command of ["reset", "seed"]) {
      const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/db.ts", command], { env, encoding: "utf8", timeout: 60_000 });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/is in use by process \d+ \(a running shop server\?\)\. Stop that process first/);
    }
    expect(existsSync(path.join(dataDirRoot, "pglite", "PG_VERSION"))).toBe(true);
  });
});
