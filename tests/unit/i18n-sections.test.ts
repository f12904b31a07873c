// Console sections of the catalog reach only the pages of their console (decision 4). A page that uses a section it is
// not sent would show raw keys, so every route module, and the components it imports, may only name console keys of
// the sections its URL is sent.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONSOLE_ONLY_SECTIONS, catalogAt, consoleSectionsFor } from "~/i18n/i18n";
import { catalogText, messagesFor, pageCatalogFor } from "~/i18n/i18n.server";

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

describe("the catalog a page is rendered with", () => {
  it("is one file per language and set of sections, named by its text, kept for rendering as messagesFor gives it", () => {
    const home = pageCatalogFor("zh", "/");
    expect(home).toMatch(/^\/i18n\/zh-shop-[0-9a-f]{12}\.json$/);
    expect(pageCatalogFor("zh", "/products/peaches")).toBe(home);
    expect(pageCatalogFor("en", "/")).not.toBe(home);
    expect(catalogAt(home)).toEqual(messagesFor("zh", "/"));
    expect(catalogAt(home)).toBe(catalogAt(home));

    const team = pageCatalogFor("zh", "/team/households");
    expect(team).toMatch(/^\/i18n\/zh-households\+reports\+cards-[0-9a-f]{12}\.json$/);
    expect(pageCatalogFor("zh", "/team/alerts")).toBe(team);
    expect(catalogAt(team)).toEqual(messagesFor("zh", "/team/households"));
    expect(Object.keys(catalogAt(team)!)).toEqual(expect.arrayContaining(["households", "reports", "cards"]));
    expect(Object.keys(catalogAt(home)!)).not.toContain("households");
  });

  it("is served by its file's name, and only under the name of its current text", () => {
    const coop = pageCatalogFor("en", "/coop/orders");
    expect(JSON.parse(catalogText(coop.slice("/i18n/".length))!)).toEqual(messagesFor("en", "/coop/orders"));
    expect(catalogText("en-cooperative+receipts-000000000000.json")).toBeUndefined();
    expect(catalogText(`fr${coop.slice("/i18n/en".length)}`)).toBeUndefined();
    expect(catalogText(coop.slice("/i18n/".length).replace("cooperative+receipts", "cooperative+households"))).toBeUndefined();
    expect(catalogText("../zh.ts")).toBeUndefined();
  });
});
