import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../scripts/free-port";
import { startShopServer, type ShopServer } from "./app-server";
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

describe("what the cart and checkout offer", () => {
  it("offers home delivery with online payment only, and says why unit settlement does not fit it", async () => {
    const page = await newPage(browser(), baseUrl);
    await signIn(page, "13800000001");
    await addPeachesToCart(page, 1);
    await page.goto("/checkout");
    const unitSettlement = page.getByLabel(/单位统一结算/);
    await page.getByLabel(/参加单位团购：局机关秋季助农团购/).waitFor();
    expect(await unitSettlement.isChecked()).toBe(true);

    await page.getByLabel(/送货上门/).check();
    expect(await page.getByLabel(/银行卡/).isChecked()).toBe(true);
    expect(await unitSettlement.isDisabled()).toBe(true);
    await page.getByText("单位统一结算只用于单位团购；送货上门需在线支付。").waitFor();

    // Checked in the browser before anything is sent: the first field to fix gets the focus.
    await page.getByRole("button", { name: "提交订单" }).click();
    await page.getByText("请填写此项").first().waitFor();
    const recipient = page.getByLabel("收货人");
    expect(await recipient.evaluate((input) => input === document.activeElement)).toBe(true);
    // A screen reader hears why: the field is marked invalid, described by its message, which is a live region.
    await expect(recipient.getAttribute("aria-invalid")).resolves.toBe("true");
    const message = page.locator(`[id="${await recipient.getAttribute("aria-describedby")}"]`);
    await expect(message.textContent()).resolves.toContain("请填写此项");
    await expect(message.getAttribute("aria-live")).resolves.toBe("polite");

    await page.goto("/cart");
    await page.getByRole("button", { name: /从购物车移除/ }).click();
    await page.getByText("购物车是空的。").waitFor();
    await page.context().close();
  });
});

describe("a shop without online payment configured", () => {
  let shop: ShopServer | undefined;
  beforeAll(async () => {
    shop = await startShopServer(await freePort(), {
      STRIPE_SECRET_KEY: undefined,
      STRIPE_WEBHOOK_SECRET: undefined,
      STRIPE_API_BASE: undefined,
    });
  });
  afterAll(async () => {
    await shop?.stop();
    await shop?.remove();
  });

  it("says up front that home delivery needs online payment, and offers no combination it would refuse", async () => {
    const page = await newPage(browser(), shop!.baseUrl);
    await signIn(page, "13800000001");
    await addPeachesToCart(page, 1);
    await page.goto("/cart");
    const ways = page.getByTestId("ways");
    await ways.getByText("暂不可选：送货上门只能在线支付，而在线支付尚未开通。").waitFor();
    await expect(ways.textContent()).resolves.toContain("付款方式：单位统一结算");

    await page.getByRole("link", { name: "去结算" }).click();
    await page.getByRole("heading", { level: 1, name: "结算" }).waitFor();
    const delivery = page.getByLabel(/送货上门/);
    const card = page.getByLabel(/银行卡/);
    expect(await delivery.isDisabled()).toBe(true);
    expect(await card.isDisabled()).toBe(true);
    expect(await page.getByLabel(/参加单位团购：局机关秋季助农团购/).isChecked()).toBe(true);
    expect(await page.getByLabel(/单位统一结算/).isChecked()).toBe(true);
    await page.getByText("暂不可选：送货上门只能在线支付，而在线支付尚未开通。").waitFor();
    await page.getByText("在线支付尚未开通。", { exact: true }).waitFor();

    // A disabled choice cannot be taken, even by a click aimed straight at it.
    await delivery.click({ force: true });
    expect(await delivery.isChecked()).toBe(false);
    await page.getByRole("button", { name: "提交订单" }).click();
    await page.waitForURL(/\/orders\/AS/);
    await page.getByText("等待单位统一结算。").waitFor();
    await page.context().close();
  });
});
