import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newPage, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

async function addPeachesToCart(page: Page, quantity: number) {
  await page.goto("/");
  await page
    .getByRole("link", { name: /无公害桃/ })
    .first()
    .click();
  await page.getByRole("heading", { level: 1, name: "无公害桃" }).waitFor();
  const form = page
    .locator("form")
    .filter({ has: page.getByRole("button", { name: "加入购物车" }) })
    .first();
  await form.getByLabel("数量").fill(String(quantity));
  await form.getByRole("button", { name: "加入购物车" }).click();
  await page.getByText("已加入购物车。").waitFor();
}

async function checkOut(page: Page, payment: "银行卡" | "单位统一结算") {
  await page.goto("/cart");
  await page.getByRole("link", { name: "去结算" }).click();
  await page.getByRole("heading", { level: 1, name: "结算" }).waitFor();
  await page.getByLabel(/参加单位团购：局机关秋季助农团购/).check();
  await page.getByLabel(new RegExp(payment)).check();
  await page.getByRole("button", { name: "提交订单" }).click();
}

describe("an employee buys peaches in the unit's group order", () => {
  it("pays by card and sees the households the purchase credited", async () => {
    const page = await newPage(browser(), baseUrl);
    await signIn(page, "13800000001");
    await addPeachesToCart(page, 2);
    await checkOut(page, "银行卡");
    // Stripe's hosted page (the fake one): paying sends the signed webhook, then returns to the order.
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL(/\/orders\/AS\d{6}-[0-9A-F]{8}\?paid=1$/);
    await page.getByText("已付款").first().waitFor();
    const credited = page.locator("section", { has: page.getByRole("heading", { name: "这笔订单让以下农户增收" }) });
    const amounts = await credited.locator("li").allTextContents();
    expect(amounts.length).toBeGreaterThan(0);
    expect(amounts.join(" ")).toMatch(/\+¥\d/);
    await page.goto("/account");
    await page.getByText(/您的购买已为 \d+ 户农户增收 ¥/).waitFor();
    await page.context().close();
  });

  it("chooses unit settlement and waits for the organizer to settle", async () => {
    const page = await newPage(browser(), baseUrl);
    await signIn(page, "13800000002");
    await addPeachesToCart(page, 1);
    await checkOut(page, "单位统一结算");
    await page.waitForURL(/\/orders\/AS/);
    await page.getByText("等待单位统一结算。").waitFor();
    await page.getByText("待付款").first().waitFor();
    await page.context().close();
  });
});
