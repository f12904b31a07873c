import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newPage, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

/** One box of peaches into the cart and checkout, joining the group order to be paid by the unit. */
async function joinPaidByUnit(page: Page, groupTitle: string) {
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
  await page.getByLabel(/单位统一结算/).check();
  await page.getByRole("button", { name: "提交订单" }).click();
  await page.waitForURL(/\/orders\/AS/);
}

/** The unit's organizer settles what the page says their unit owes, then opens and downloads the statement. */
async function settleOwnUnit(page: Page, dashboard: string, unit: string, otherUnit: string, reference: string) {
  await page.goto(dashboard);
  const pending = page.getByText(new RegExp(`^${unit}：1 笔单位结算订单待付款，合计 ¥`));
  const text = await pending.textContent();
  // Another unit's part is not this organizer's to see.
  expect(await page.getByText(new RegExp(`^${otherUnit}：`)).count()).toBe(0);
  const amount = /¥([\d,]+\.\d{2})/.exec(text!)![1]!.replace(/,/g, "");
  const form = page.getByRole("form", { name: `为 ${unit} 登记结算` });
  // One fen short is refused on the amount field, and nothing is recorded.
  const short = (Math.round(Number(amount) * 100) - 1) / 100;
  await form.getByLabel("付款金额（元）").fill(short.toFixed(2));
  await form.getByLabel("银行或工会凭证号").fill(reference);
  await form.getByRole("button", { name: "登记结算" }).click();
  await form.getByText("金额必须等于待结算订单的合计").waitFor();
  // Corrected in the same form. Leaving the field first, as a person does: leaving it clears the refusal's message,
  // and the button below moves up; a click whose press lands before that is lost when the release lands elsewhere.
  await form.getByLabel("付款金额（元）").fill(amount);
  await form.getByLabel("付款金额（元）").press("Tab");
  await form.getByRole("button", { name: "登记结算" }).click();
  await page.getByText("结算已登记，正在确认各订单付款。进度见下方，可以离开本页稍后再看。").waitFor();
  await page.locator('[data-testid="bulk-task"][data-status="done"]').waitFor();
  await page.reload();
  await page.getByText(new RegExp(`^${unit}：已登记结算 ¥${amount.replace(".", "\\.")}`)).waitFor();

  await page.getByRole("link", { name: "对账单（打印）" }).click();
  await page.getByRole("heading", { level: 1, name: "单位统一结算对账单" }).first().waitFor();
  expect(await page.getByTestId("statement-reference").first().textContent()).toBe(reference);
  expect(await page.getByTestId("statement-total").textContent()).toContain(amount);
  expect(await page.getByTestId("statement-page").first().textContent()).toBe("第 1 页 / 共 2 页");
  const href = await page.getByRole("link", { name: "对账单（Excel）" }).getAttribute("href");
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toContain("statement-");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await response.body()) as unknown as ArrayBuffer);
  const lines = workbook.getWorksheet("订单明细")!;
  expect(lines.getRow(lines.rowCount).getCell(6).value).toBe(Number(amount));
}

describe("two units share a group order and each pays for its own members", () => {
  it("the admin opens it for both, each unit's organizer settles their part and downloads their statement", async () => {
    const admin = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(admin, "admin@anshang.example");
    await admin.goto("/organizer/group-orders/new");
    const title = `两单位联合团购 ${Date.now()}`;
    await admin.getByLabel("团购名称").fill(title);
    await admin.getByRole("group", { name: "参加单位" }).getByLabel("局机关", { exact: true }).check();
    await admin.getByRole("group", { name: "参加单位" }).getByLabel("第一地质大队", { exact: true }).check();
    for (const checkbox of await admin
      .getByRole("group", { name: "商品" })
      .getByRole("checkbox", { name: /无公害桃/ })
      .all())
      await checkbox.check();
    await admin.getByLabel("自提点").fill("局机关大院东门");
    await admin.getByRole("button", { name: "发起" }).click();
    await admin.getByRole("heading", { level: 1, name: title }).waitFor();
    const dashboard = new URL(admin.url()).pathname;

    // Each unit's organizer (an employee of the unit too) joins, to be paid by their unit.
    const hq = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(hq, "13800000002");
    await joinPaidByUnit(hq, title);
    const t1 = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(t1, "13800000006");
    await joinPaidByUnit(t1, title);

    // Only the opener closes it: the invited units' organizers are not offered the step.
    await hq.goto(dashboard);
    expect(await hq.getByText("提前截止", { exact: true }).count()).toBe(0);
    await admin.reload();
    await admin.getByText("提前截止", { exact: true }).click();
    await admin.getByRole("button", { name: "确定截止" }).click();
    await admin.getByText("团购已截止。").waitFor();

    await settleOwnUnit(hq, dashboard, "局机关", "第一地质大队", "GH-HQ-0701");
    // The group order is not settled while T1 still owes.
    await admin.goto(dashboard);
    await admin.getByText(/^第一地质大队：1 笔单位结算订单待付款/).waitFor();
    await settleOwnUnit(t1, dashboard, "第一地质大队", "局机关", "GH-T1-0702");

    // Delivered, with both units paid: settled. The cooperative sees both settlements.
    await admin.goto(dashboard);
    await admin.getByText("标记为已送达", { exact: true }).click();
    await admin.getByRole("button", { name: "确认已送达" }).click();
    await admin.getByTestId("group-state").filter({ hasText: "已结算" }).waitFor({ timeout: 10_000 });
    const coop = await newPage(browser(), baseUrl);
    await signIn(coop, "13800000003");
    await coop.goto("/coop/settlements");
    const rows = coop.getByRole("row").filter({ hasText: title });
    expect(await rows.count()).toBe(2);
    await rows.filter({ hasText: "GH-T1-0702" }).getByRole("link", { name: "对账单（打印）" }).click();
    await coop.getByTestId("statement-reference").first().filter({ hasText: "GH-T1-0702" }).waitFor();
    for (const page of [admin, hq, t1, coop]) await page.context().close();
  });
});
