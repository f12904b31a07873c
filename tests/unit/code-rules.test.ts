// The action contract's rules that a reader can check with grep (docs/decisions/0008), checked on every run so they
// stay true: routes parse forms only through parseForm (no hand-written safeParse loops), domain code refuses with
// DomainError (never an HTTP Response), and only the calendar module knows the shop's UTC offset. Tests are left
// out: they compute the offset independently to check the module.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const SOURCE = /\.(ts|tsx)$/;
const read = (file: string) => readFileSync(file, "utf8");
const offending = (files: string[], rule: RegExp) => files.filter((file) => rule.test(read(file)));

const CALENDAR_MODULE = ["app/utils/dates.ts", "app/utils/dates.server.ts"].map((file) => path.resolve(file));

describe("the action contract, as grep sees it", () => {
  it("has no route validating by hand", () => {
    expect(offending(filesUnder(path.resolve("app/routes"), SOURCE), /\.safeParse(Async)?\(/)).toEqual([]);
  });

  it("has no HTTP response made or thrown in domain code", () => {
    expect(offending(filesUnder(path.resolve("app/domain"), SOURCE), /\bResponse\b|\bredirect\(|\bdata\(/)).toEqual([]);
  });

  it("knows the shop's UTC offset and time zone only in the calendar module", () => {
    const code = [
      ...filesUnder(path.resolve("app"), SOURCE),
      ...filesUnder(path.resolve("scripts"), SOURCE),
      path.resolve("server.ts"),
      path.resolve("cluster.ts"),
    ].filter((file) => !CALENDAR_MODULE.includes(file) && !file.includes(`${path.sep}generated${path.sep}`));
    const offset = /\+08:?00|getTimezoneOffset|\b8 \* (60|3_?600)\b|\b28_?800\b|interval '8 hours'|["'`]Asia\/Shanghai/;
    expect(offending(code, offset)).toEqual([]);
    // SQL converts to the shop's zone only through dates.server.ts fragments; `AT TIME ZONE 'UTC'` (a timestamptz
    // stored as the UTC timestamp the columns hold) says nothing about the shop.
    const otherZone = /AT TIME ZONE (?!'UTC')/i;
    expect(offending(code, otherZone)).toEqual([]);
    expect(offending(filesUnder(path.resolve("prisma/migrations"), /\.sql$/), otherZone)).toEqual([]);
  });
});
