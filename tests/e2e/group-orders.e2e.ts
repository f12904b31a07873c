import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newPage, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

async function joinWithUnitSettlement(page: Page, groupTitle: string) {
  await page.goto("/");
  await page.getByRole("link", { name: /无公害桃/ }).first().click();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "加入购物车" }) }).first();
  await form.getByLabel("数量").fill("1");
  await form.getByRole("button", { name: "加入购物车" }).click();
  await page.getByText("已加入购物车。").waitFor();
  await page.goto("/cart");
  await page.getByRole("link", { name: "去结算" }).click();
  await page.getByLabel(`参加单位团购：${groupTitle}`).check();
  await page.getByLabel(/单位统一结算/).check();
  await page.getByRole("button", { name: "提交订单" }).click();
  await page.waitForURL(/\/orders\/AS/);
}

describe("an organizer runs a group order for their unit", () => {
  it("opens one, takes an order, closes it early, records the unit settlement and exports the pickup list", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(page, "13800000002");
    await page.goto("/organizer");
    await page.getByRole("link", { name: "发起团购" }).click();
    await page.getByRole("heading", { level: 1, name: "发起团购" }).waitFor();
    const title = `端午粉条团购 ${Date.now()}`;
    await page.getByLabel("团购名称").fill(title);
    // Every peach SKU, so that whichever the buyer picks below is on offer.
    for (const checkbox of await page.getByRole("group", { name: "商品" }).getByRole("checkbox", { name: /无公害桃/ }).all()) await checkbox.check();
    await page.getByLabel("自提点").fill("办公楼一层大厅");
    await page.getByRole("button", { name: "发起" }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect(page.getByTestId("group-state").textContent()).resolves.toBe("进行中");
    const dashboard = page.url();

    // The organizer is an employee of the unit too: they join their own group order, to be paid by the unit.
    await joinWithUnitSettlement(page, title);
    await page.goto(dashboard);

    await page.getByRole("button", { name: "提前截止" }).click();
    await page.getByText("团购已截止。").waitFor();
    await page.getByTestId("group-state").filter({ hasText: "已截止" }).waitFor({ timeout: 5_000 });

    const pending = await page.getByText(/1 笔单位结算订单待付款，合计 ¥/).textContent();
    const amount = /¥([\d,]+\.\d{2})/.exec(pending!)![1]!.replace(/,/g, "");
    await page.getByLabel("付款金额（元）").fill(amount);
    await page.getByLabel("银行或工会凭证号").fill("GH-2026-001");
    await page.getByRole("button", { name: "登记结算" }).click();
    await page.getByText("结算已登记，订单已确认付款。").waitFor();
    await page.getByText(/已登记结算：¥/).waitFor();

    const href = await page.getByRole("link", { name: "导出自提清单（CSV）" }).getAttribute("href");
    const response = await page.request.get(href!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const body = (await response.body()).toString("utf8");
    expect(body.startsWith("\uFEFF\"订单号\",\"购买人\",\"单位\",\"商品\",\"金额\",\"已付款\",\"已取货\"")).toBe(true);

    await page.getByRole("link", { name: "打印自提清单" }).click();
    await page.getByRole("heading", { level: 1, name: `自提清单：${title}` }).waitFor();
    await page.goto("/organizer");
    await page.getByRole("link", { name: new RegExp(title) }).waitFor();
    await page.goto("/orders");
    await page.getByTestId("notifications").getByText(`团购「${title}」已截止`, { exact: false }).waitFor();
    await page.context().close();
  });

  it("keeps employees out of the organizer pages", async () => {
    const page = await newPage(browser(), baseUrl);
    await signIn(page, "13800000001");
    const response = await page.goto("/organizer/group-orders/new");
    expect(response?.status()).toBe(403);
    await page.context().close();
  });
});
