// Console sections of the catalog reach only the pages of their console (decision 4). A page that uses a section it is
// not sent would show raw keys, so every route module, and the components it imports, may only name console keys of
// the sections its URL is sent.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONSOLE_ONLY_SECTIONS, consoleSectionsFor, parseMessages } from "~/i18n/i18n";
import { messagesFor, serializedMessagesFor } from "~/i18n/i18n.server";

const ROUTES_DIR = path.resolve("app/routes");
const KEY = new RegExp(`["'\`](${CONSOLE_ONLY_SECTIONS.join("|")})\\.[\\w.$\\{]`, "g");

/** The URL a flat-routes file answers, with every parameter as "x" (enough to pick its catalog sections). */
function urlOf(file: string) {
  const segments = file
    .replace(/\.tsx?$/, "")
    .split(".")
    .filter((segment) => segment !== "_index")
    .map((segment) => (segment.startsWith("$") ? "x" : segment.replace(/_$/, "")));
  return `/${segments.join("/")}`;
}

function sourceWithComponents(file: string) {
  const source = readFileSync(path.join(ROUTES_DIR, file), "utf8");
  const components = [...source.matchAll(/from "~\/components\/([\w-]+)"/g)].map((m) => {
    const base = path.resolve("app/components", m[1]!);
    return existsSync(`${base}.tsx`) ? `${base}.tsx` : `${base}.ts`;
  });
  return [source, ...components.map((component) => readFileSync(component, "utf8"))].join("\n");
}

describe("catalog sections per page", () => {
  const files = readdirSync(ROUTES_DIR).filter((file) => /\.tsx?$/.test(file));

  for (const file of files) {
    it(`${file} uses only the console sections ${urlOf(file)} is sent`, () => {
      const sent = new Set<string>(consoleSectionsFor(urlOf(file)));
      const used = new Set([...sourceWithComponents(file).matchAll(KEY)].map((match) => match[1]!));
      expect([...used].filter((section) => !sent.has(section))).toEqual([]);
    });
  }
});

describe("the catalog as the root loader sends it", () => {
  it("is one JSON text per language and set of sections, made once, and parsed once into what messagesFor gives", () => {
    const home = serializedMessagesFor("zh", "/");
    expect(serializedMessagesFor("zh", "/products/peaches")).toBe(home);
    expect(serializedMessagesFor("en", "/")).not.toBe(home);
    expect(parseMessages(home)).toEqual(messagesFor("zh", "/"));
    expect(parseMessages(home)).toBe(parseMessages(home));

    const team = serializedMessagesFor("zh", "/team/households");
    expect(serializedMessagesFor("zh", "/team/alerts")).toBe(team);
    expect(parseMessages(team)).toEqual(messagesFor("zh", "/team/households"));
    expect(Object.keys(parseMessages(team))).toEqual(expect.arrayContaining(["households", "reports", "cards"]));
    expect(Object.keys(parseMessages(home))).not.toContain("households");
  });
});
