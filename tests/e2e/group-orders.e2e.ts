import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newPage, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

async function join(page: Page, groupTitle: string, payment: RegExp) {
  await page.goto("/");
  await page
    .getByRole("link", { name: /无公害桃/ })
    .first()
    .click();
  const form = page
    .locator("form")
    .filter({ has: page.getByRole("button", { name: "加入购物车" }) })
    .first();
  await form.getByLabel("数量").fill("1");
  await form.getByRole("button", { name: "加入购物车" }).click();
  await page.getByText("已加入购物车。").waitFor();
  await page.goto("/cart");
  await page.getByRole("link", { name: "去结算" }).click();
  await page.getByLabel(`参加单位团购：${groupTitle}`).check();
  await page.getByLabel(payment).check();
  await page.getByRole("button", { name: "提交订单" }).click();
}

describe("an organizer runs a group order for their unit", () => {
  it("opens one, two colleagues join (card and unit settlement), closes it, settles, exports, and the team sees the credits", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(page, "13800000002");
    await page.goto("/organizer");
    await page.getByRole("navigation", { name: "团购管理功能" }).getByRole("link", { name: "发起团购" }).click();
    await page.getByRole("heading", { level: 1, name: "发起团购" }).waitFor();
    const title = `端午粉条团购 ${Date.now()}`;
    await page.getByLabel("团购名称").fill(title);
    // Every peach SKU, so that whichever the buyer picks below is on offer.
    for (const checkbox of await page
      .getByRole("group", { name: "商品" })
      .getByRole("checkbox", { name: /无公害桃/ })
      .all())
      await checkbox.check();
    await page.getByLabel("自提点").fill("办公楼一层大厅");
    await page.getByRole("button", { name: "发起" }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect(page.getByTestId("group-state").textContent()).resolves.toBe("进行中");
    const dashboard = page.url();

    // A colleague pays by card on (the fake) Stripe; the organizer, an employee of the unit too, joins to be paid
    // by the unit.
    const colleague = await newPage(browser(), baseUrl);
    await signIn(colleague, "13800000001");
    await join(colleague, title, /银行卡/);
    await colleague.getByRole("button", { name: "Pay" }).click();
    await colleague.waitForURL(/\/orders\/AS.*\?paid=1$/);
    await colleague.getByText("已付款").first().waitFor();
    await colleague.context().close();
    await join(page, title, /单位统一结算/);
    await page.waitForURL(/\/orders\/AS/);
    await page.goto(dashboard);

    // Closing early cannot be undone, so it asks first.
    await page.getByText("提前截止", { exact: true }).click();
    await page.getByRole("button", { name: "确定截止" }).click();
    await page.getByText("团购已截止。").waitFor();
    await page.getByTestId("group-state").filter({ hasText: "已截止" }).waitFor({ timeout: 5_000 });

    const pending = await page.getByText(/1 笔单位结算订单待付款，合计 ¥/).textContent();
    const amount = /¥([\d,]+\.\d{2})/.exec(pending!)![1]!.replace(/,/g, "");
    await page.getByLabel("付款金额（元）").fill(amount);
    await page.getByLabel("银行或工会凭证号").fill("GH-2026-001");
    await page.getByRole("button", { name: "登记结算" }).click();
    // The orders are confirmed paid by a job; the page follows its progress until it is done.
    await page.getByText("结算已登记，正在确认各订单付款。进度见下方，可以离开本页稍后再看。").waitFor();
    await page.locator('[data-testid="bulk-task"][data-status="done"]').waitFor();
    await page.getByText(/已登记结算 ¥/).waitFor();

    const href = await page.getByRole("link", { name: "导出自提清单（CSV）" }).getAttribute("href");
    const response = await page.request.get(href!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const body = (await response.body()).toString("utf8");
    expect(body.startsWith('\uFEFF"订单号","购买人","单位","商品","金额","已付款","已取货"')).toBe(true);

    const xlsx = await page.request.get((await page.getByRole("link", { name: "导出自提清单（Excel）" }).getAttribute("href"))!);
    expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
    expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");

    await page.getByRole("link", { name: "打印自提清单" }).click();
    await page.getByRole("heading", { level: 1, name: `自提清单：${title}` }).waitFor();
    await page.goto("/organizer");
    await page.getByRole("link", { name: new RegExp(title) }).waitFor();
    await page.goto("/orders");
    await page.getByTestId("notifications").getByText(`团购「${title}」已截止`, { exact: false }).waitFor();
    await page.context().close();

    // The work team sees the credits in the producing households' ledgers.
    const team = await newPage(browser(), baseUrl);
    await signIn(team, "13800000004");
    await team.goto("/team/households");
    const credited = team
      .getByRole("listitem")
      .filter({ has: team.getByTestId("balance").filter({ hasNotText: "¥0.00" }) })
      .first();
    await credited.getByRole("link").click();
    await team.getByRole("heading", { level: 2, name: /收入台账/ }).waitFor();
    // On a phone the ledger's lines are cards.
    expect(
      await team.getByRole("list", { name: "收入台账" }).getByRole("listitem").filter({ hasText: "销售入账" }).count(),
    ).toBeGreaterThan(0);
    // Each ledger line leads to what caused it: the order, its lots and the entries it wrote for this household.
    const cause = team.getByRole("link", { name: /^订单 AS/ }).first();
    const orderNumber = (await cause.textContent())!.replace("订单 ", "");
    await cause.click();
    await team.getByRole("heading", { level: 2, name: new RegExp(`订单 ${orderNumber}`) }).waitFor();
    expect(await team.getByText(/本户/).count()).toBeGreaterThan(0);
    expect(await team.getByRole("cell", { name: "销售入账" }).count()).toBeGreaterThan(0);
    await team.context().close();
  });

  it("keeps employees out of the organizer pages", async () => {
    const page = await newPage(browser(), baseUrl);
    await signIn(page, "13800000001");
    const response = await page.goto("/organizer/group-orders/new");
    expect(response?.status()).toBe(403);
    await page.context().close();
  });
});
