import type { Route } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { hydrated, newPage, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

// A form's zod schema is fetched once the person first focuses a field (app/utils/lazy-validation.ts). On a loaded
// machine it can arrive after the form is filled in; a sign-in sent in that moment was lost now and then.
describe("a form submitted before its lazily loaded schema has arrived", () => {
  it("signs in, without sending the fields it leaves to the server to be checked", async () => {
    const page = await newPage(browser(), baseUrl);
    await page.goto("/login");
    await hydrated(page);

    // Scripts asked for from here on (the schema and zod) are held back until the sign-in has been sent. Not longer:
    // a script held for good that the page after sign-in also needs would stall that page instead.
    const heldScripts: Route[] = [];
    let holdScripts = true;
    await page.route("**/assets/*.js", (route) => (holdScripts ? heldScripts.push(route) : route.continue()));
    // A field left is checked against the schema when it has come; sent to the server instead, its answer would be
    // pending while the sign-in button is pressed, and that pending answer disables the button.
    const fieldChecks: string[] = [];
    let heldWhenSent = 0;
    await page.route("**/login.data*", async (route) => {
      const body = route.request().postData() ?? "";
      if (body.includes("__intent__")) return void fieldChecks.push(body);
      heldWhenSent = heldScripts.length;
      holdScripts = false;
      for (const held of heldScripts) await held.continue();
      return route.continue();
    });

    await page.getByLabel("手机号或邮箱").fill("13800000001");
    await page.getByLabel(/^密码$/).fill("anshang2026");
    await page.getByRole("button", { name: "登录" }).click({ timeout: 5_000 });
    await page.waitForURL((url) => url.pathname === "/", { timeout: 15_000 });
    expect(heldWhenSent).toBeGreaterThan(0);
    expect(fieldChecks).toEqual([]);
    await page.context().close();
  });
});
