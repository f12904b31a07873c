import { describe, expect, inject, it } from "vitest";
import { hydrated, newPage, scriptErrors, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

describe("signing in as each demo role lands on that role's home", () => {
  const roles = [
    { login: "13800000001", path: "/", heading: "林小雨，您好" },
    { login: "13800000002", path: "/organizer", heading: "团购管理" },
    { login: "13800000003", path: "/coop", heading: "合作社工作台" },
    { login: "13800000004", path: "/team", heading: "工作队工作台" },
    { login: "admin@anshang.example", path: "/admin", heading: "系统管理" },
  ];
  for (const role of roles) {
    it(`${role.login} → ${role.path}`, async () => {
      const page = await newPage(browser(), baseUrl);
      await signIn(page, role.login);
      await page.getByRole("heading", { level: 1, name: role.heading }).waitFor();
      expect(new URL(page.url()).pathname).toBe(role.path);
      await page.context().close();
    });
  }
});

describe("the shell", () => {
  it("shows the open group order to an employee of an invited unit", async () => {
    const page = await newPage(browser(), baseUrl);
    await signIn(page, "13800000001");
    await page.getByText("局机关秋季助农团购").waitFor();
    await page.context().close();
  });

  it("switches to English and keeps the choice", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 800 } });
    await page.goto("/login");
    await page.getByRole("button", { name: "English" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    await expect(page.title()).resolves.toBe("Sign in · Anshang Village Shop");
    await page.goto("/");
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("en");
    await expect(page.title()).resolves.toBe("Home · Anshang Village Shop");
    await page.context().close();
  });

  it("shows a wrong password as a message on the form, without JavaScript too", async () => {
    const page = await newPage(browser(), baseUrl, { javaScriptEnabled: false });
    await page.goto("/login");
    await expect(page.title()).resolves.toBe("登录 · 岸上村助农商城");
    await page.getByLabel("手机号或邮箱").fill("13800000001");
    await page.getByLabel("密码").fill("wrong-password");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("手机号/邮箱或密码不正确");
    await page.context().close();
  });

  it("serves the home page from the page cache to anonymous visitors with its scripts allowed by CSP", async () => {
    // The cache keeps a page for 2 s: the browser asks right after the page is rendered once, not after a whole
    // browser page load (which took longer than that on a busy machine, so the second load found the copy gone).
    const page = await newPage(browser(), baseUrl);
    await (await fetch(`${baseUrl}/`, { headers: { "Accept-Language": "zh-CN" } })).text();
    const refused: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") refused.push(message.text());
    });
    const second = await page.goto("/");
    expect(second?.headers()["x-page-cache"]).toBe("hit");
    expect(second?.headers()["content-security-policy"]).toMatch(/'sha256-/);
    // Client-side navigation only works once the cached page has hydrated.
    await page.getByRole("link", { name: "登录" }).first().click();
    await page.getByRole("heading", { level: 1, name: "登录" }).waitFor();
    expect(refused).toEqual([]);
    await page.context().close();
  });

  it("serves a signed-in employee's home page from their unit's copy, with their name and their request's nonce", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 800 } });
    await signIn(page, "13800000001");
    const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
    // A copy is kept for 2 s: one is rendered right before the browser asks (see the anonymous case above).
    await (await fetch(`${baseUrl}/`, { headers: { Cookie: cookie, "Accept-Language": "zh-CN" } })).text();
    const errors = scriptErrors(page);
    const response = await page.goto("/");
    expect(response?.headers()["x-page-cache"]).toBe("hit");
    const nonce = /'nonce-([^']+)'/.exec(response?.headers()["content-security-policy"] ?? "")?.[1];
    expect(
      await page
        .locator("script[nonce]")
        .first()
        .evaluate((script: HTMLScriptElement) => script.nonce),
    ).toBe(nonce);
    await page.getByRole("heading", { level: 1, name: "林小雨，您好" }).waitFor();
    await hydrated(page);
    await page.getByRole("link", { name: "我的订单" }).first().click();
    await page.getByRole("heading", { level: 1, name: "我的订单" }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("answers an unknown path with the 404 page in the reader's language", async () => {
    const page = await newPage(browser(), baseUrl, { locale: "en-US" });
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
    await page.context().close();
  });

  it("sends a signed-out visitor of a console to sign in, and an employee away with 403", async () => {
    const page = await newPage(browser(), baseUrl);
    await page.goto("/team");
    expect(new URL(page.url()).pathname).toBe("/login");
    await signIn(page, "13800000001");
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("无权访问");
    await page.context().close();
  });
});

describe("the catalog of translations (decision 28)", () => {
  it("is a file the browser loads once per language and console, not part of the page", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 800 } });
    const errors = scriptErrors(page);
    const catalogs: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/i18n/")) catalogs.push(new URL(request.url()).pathname);
    });
    await signIn(page, "13800000002");
    await page.getByRole("heading", { level: 1, name: "团购管理" }).waitFor();
    const html = await (await page.request.get("/organizer")).text();
    expect(html).toContain("团购管理");
    // The catalog's texts are in the page where it shows them, not a second time in its data.
    expect(html).not.toContain("每一分钱都记入生产农户的账上");

    // The sign-in page loaded the shop's catalog and the console's was loaded on the way in: going back and forth
    // between the shop and the console, whose pages need other sections, loads neither again.
    for (const [link, heading] of [
      ["选购", /您好/],
      ["团购管理", "团购管理"],
      ["选购", /您好/],
    ] as const) {
      await page.getByRole("link", { name: link }).first().click();
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    }
    expect(catalogs.map((path) => path.replace(/-[0-9a-f]{12}\.json$/, ""))).toEqual([
      "/i18n/zh-shop",
      "/i18n/zh-groupOrders+posters+roster",
    ]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("is not needed to use the page: without it the page stays as the server rendered it, and its forms still work", async () => {
    const page = await newPage(browser(), baseUrl);
    await page.route("**/i18n/**", (route) => route.abort());
    await page.goto("/login");
    await page.getByLabel("手机号或邮箱").fill("13800000001");
    await page.getByLabel("密码").fill("anshang2026");
    await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.getByRole("button", { name: "登录" }).click()]);
    await page.getByRole("heading", { level: 1, name: "林小雨，您好" }).waitFor();
    await expect(page.locator("html").getAttribute("data-hydrated")).resolves.toBeNull();
    await page.context().close();
  });
});
