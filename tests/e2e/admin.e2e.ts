import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newPage, scriptErrors, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

// The admin's pages on a phone-sized screen: units (grant an organizer), the cooperative's fees, each village's
// settings, and the audit log that recorded all of it.
describe("the admin manages units, fees and settings and reads the audit log", () => {
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    page = await newPage(browser(), baseUrl);
    errors = scriptErrors(page);
    await signIn(page, "admin@anshang.example");
  });
  afterAll(async () => {
    await page.context().close();
  });

  it("shows the bureau's units as a tree and makes an employee an organizer of theirs", async () => {
    await page.goto("/admin/units");
    expect(await page.title()).toMatch(/^单位 · /);
    const tree = page.getByRole("tree");
    await tree.getByRole("treeitem").first().waitFor();
    await tree.getByRole("treeitem").filter({ hasText: "周建国" }).getByRole("link", { name: "局机关" }).click();
    await page.getByRole("link", { name: "花名册导入" }).waitFor();
    // Granted, then taken back, so the demo employee is left as the other journeys expect.
    const employee = page.getByRole("listitem").filter({ hasText: "林小雨" });
    await employee.getByRole("button", { name: "设为团购负责人" }).click();
    await page.getByText("已设 林小雨 为团购负责人。").waitFor();
    await employee.getByText("团购负责人", { exact: false }).first().waitFor();
    await employee.getByRole("button", { name: "取消团购负责人" }).click();
    await page.getByText("已取消 林小雨 的团购负责人。").waitFor();
    await employee.getByRole("button", { name: "设为团购负责人" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });

  it("saves a cooperative's fees, refusing a bad amount with the field's message", async () => {
    await page.goto("/admin/villages");
    expect(await page.title()).toMatch(/^村与合作社 · /);
    const fee = page.getByLabel("配送费（元/单）");
    await fee.fill("-3");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("请输入 0 到 1000 元之间的金额，最多两位小数").waitFor();
    await fee.fill("12");
    await page.getByLabel("新商品默认服务费率（%）").fill("8");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText(/已保存 .* 的费用设置。/).waitFor();
  });

  it("lists each village's settings and opens one village's for editing", async () => {
    await page.goto("/admin/settings");
    expect(await page.title()).toMatch(/^各村设置 · /);
    await page.getByRole("link", { name: "修改" }).first().click();
    await page.waitForURL(/\/team\/settings\?village=/);
    await page.getByRole("heading", { level: 1, name: /岸上村/ }).waitFor();
  });

  it("filters the audit log and shows an entry's changes; opening it is recorded", async () => {
    // Other journeys on this server open the log too (the private-answers walk does): count from what is there now.
    const openings = async () => Number((await page.getByText(/^共 \d+ 条$/).textContent())!.match(/\d+/)![0]);
    await page.goto("/admin/audit?action=audit.view");
    const before = await openings();
    await page.goto("/admin/audit");
    expect(await page.title()).toMatch(/^审计日志 · /);
    await page.getByLabel("操作", { exact: true }).fill("unit.organizer.grant");
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForURL(/action=unit.organizer.grant/);
    const entries = page.getByTestId("audit-entries").getByRole("listitem");
    await entries.first().waitFor();
    await entries.first().getByText("改动").click();
    await entries
      .first()
      .getByText(/"roles"/)
      .first()
      .waitFor();
    await page.getByLabel("操作", { exact: true }).fill("audit.view");
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForURL(/action=audit.view/);
    // This opening and the two before it: each recorded, the newest on top (50 to a page).
    await page.getByText(`共 ${before + 3} 条`).waitFor();
    expect(await page.getByTestId("audit-entries").getByRole("listitem").filter({ hasText: "audit.view" }).count()).toBe(
      Math.min(before + 3, 50),
    );
    expect(errors).toEqual([]);
  });
});
