// Deny by default: every loader and action in app/routes must start from the guard family, so a route that
// forgets to say who may use it fails here rather than in production.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROUTES_DIR = path.resolve("app/routes");
const GUARDS = /\b(requireUser|requireRole|requireAnonymous|allowAnonymous|getOptionalUser)\(/;
const HANDLER = /export async function (loader|action)\b[\s\S]*?\n}\n/g;

const routeFiles = readdirSync(ROUTES_DIR).filter((file) => /\.tsx?$/.test(file));

describe("route guards", () => {
  it("finds the route modules", () => {
    expect(routeFiles.length).toBeGreaterThan(5);
  });

  for (const file of routeFiles) {
    it(`${file}: every loader and action calls a guard`, () => {
      const source = readFileSync(path.join(ROUTES_DIR, file), "utf8");
      // Any other way of exporting a handler would escape the check below.
      expect(source).not.toMatch(/export (const|let|function) (loader|action)\b|export\s*\{[^}]*\b(loader|action)\b/);
      const declared = [...source.matchAll(/export async function (loader|action)\b/g)].length;
      const handlers = [...source.matchAll(HANDLER)];
      expect(handlers.length, `${file}: each handler read on its own`).toBe(declared);
      for (const [handler, kind] of handlers) {
        expect(handler.match(/export async function/g), `${file} ${kind}: one handler`).toHaveLength(1);
        expect(handler, `${file} ${kind}`).toMatch(GUARDS);
      }
    });
  }
});
