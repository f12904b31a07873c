import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hydrated, newPage, scriptErrors, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

// Phones no other journey uses, different on every run against the same database.
const suffix = String(Date.now()).slice(-7);
const NEW_PHONE = `1390${suffix}`;
const ROSTER = ["姓名,手机号,部门", `孙新员,${NEW_PHONE},财务处`, "错号码,12345,", `"=1+1",1391${suffix},`].join("\r\n");

// On a phone-sized screen: the organizer brings an employee on board, the employee activates with the code.
describe("an organizer imports a roster and an employee activates with the code", () => {
  let organizer: Page;
  let errors: string[] = [];
  let code = "";

  beforeAll(async () => {
    organizer = await newPage(browser(), baseUrl);
    errors = scriptErrors(organizer);
    await signIn(organizer, "13800000002");
  });
  afterAll(async () => {
    await organizer.context().close();
  });

  it("previews the file with an error per bad row, then imports the accepted row and shows its code once", async () => {
    await organizer.goto("/organizer/roster");
    await hydrated(organizer);
    await organizer.getByRole("heading", { level: 1, name: /花名册/ }).waitFor();
    expect(await organizer.title()).toMatch(/^单位花名册 · /);
    await organizer.getByLabel("名单文件").setInputFiles({ name: "roster.csv", mimeType: "text/csv", buffer: Buffer.from(ROSTER) });
    await organizer.getByRole("button", { name: "预览" }).click();
    await organizer.getByText("新职工 1 位，已在本单位 0 位，有问题 2 行", { exact: false }).first().waitFor();
    // Below 640 px the preview is a card per row.
    const cards = organizer.getByRole("list", { name: /新职工 1 位/ });
    await cards.getByText("不导入：手机号无效").waitFor();
    await cards.getByText("不导入：单元格含公式").waitFor();
    expect(await organizer.getByRole("table").isVisible()).toBe(false);
    expect(await organizer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await organizer.getByRole("button", { name: "导入 1 位新职工" }).click();
    await organizer.getByText("已开通 1 个账号。", { exact: false }).waitFor();
    const slip = organizer.getByTestId("activation-slips").getByRole("listitem");
    expect(await slip.count()).toBe(1);
    await slip.getByText(`孙新员（${NEW_PHONE}）`, { exact: false }).waitFor();
    code = (await slip.getByTestId("activation-code").textContent()) ?? "";
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await organizer.getByRole("button", { name: "打印激活条" }).waitFor();

    // Reloading shows the member as not activated yet, and the code is gone from the page.
    await organizer.reload();
    await hydrated(organizer);
    await organizer
      .getByRole("region", { name: /本单位职工/ })
      .getByText("待激活")
      .first()
      .waitFor();
    expect(await organizer.content()).not.toContain(code);
  });

  it("lets the employee activate with phone and code, signs them in, and refuses the code a second time", async () => {
    const employee = await newPage(browser(), baseUrl);
    const employeeErrors = scriptErrors(employee);
    await employee.goto("/activate");
    await hydrated(employee);
    expect(await employee.title()).toMatch(/^激活账号 · /);
    await employee.getByLabel("手机号").fill(NEW_PHONE);
    await employee.getByLabel("激活码").fill(code.toLowerCase());
    await employee.getByLabel("设置密码").fill("sun-password-1");
    await Promise.all([employee.waitForURL((url) => url.pathname === "/"), employee.getByRole("button", { name: "激活并登录" }).click()]);
    await employee.goto("/account");
    await employee.getByText(NEW_PHONE).waitFor();
    await employee.context().close();

    const again = await newPage(browser(), baseUrl);
    await again.goto("/activate");
    await hydrated(again);
    await again.getByLabel("手机号").fill(NEW_PHONE);
    await again.getByLabel("激活码").fill(code);
    await again.getByLabel("设置密码").fill("other-password-2");
    await again.getByRole("button", { name: "激活并登录" }).click();
    await again.getByText("这个激活码已经用过了，请用手机号和密码登录").waitFor();
    await again.context().close();

    // The password chosen at activation is the one that signs in.
    const signedIn = await newPage(browser(), baseUrl);
    await signIn(signedIn, NEW_PHONE, "sun-password-1");
    expect(new URL(signedIn.url()).pathname).toBe("/");
    await signedIn.context().close();
    expect(employeeErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
