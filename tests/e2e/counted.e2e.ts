// Issue 16's journey: a buyer pays, confirms receipt in one tap and rates the line; the organizer's progress bar and
// the bureau coordinator's table each move by exactly that order's amount.
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newPage, scriptErrors, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

const fen = (text: string | null) => {
  const match = /(-?)¥([\d,]+)\.(\d{2})/.exec(text ?? "");
  if (!match) throw new Error(`No amount in ${text}`);
  return (match[1] ? -1 : 1) * (Number(match[2]!.replace(/,/g, "")) * 100 + Number(match[3]));
};

const organizerCounted = async (page: Page) => {
  await page.goto("/organizer/progress");
  return fen(await page.getByTestId("unit-counted").textContent());
};

const bureauCounted = async (page: Page) => {
  await page.goto("/bureau");
  return fen(await page.locator('[data-testid="bureau-table"] tr[data-unit="HQ"] [data-testid="counted"]').textContent());
};

describe("a received purchase counts toward the unit's target", () => {
  it("buyer confirms receipt and rates; the organizer's bar and the bureau's table move by exactly the order's amount", async () => {
    const organizer = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(organizer, "13800000002");
    const bureau = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(bureau, "bureau@anshang.example");
    const organizerBefore = await organizerCounted(organizer);
    const bureauBefore = await bureauCounted(bureau);
    const barBefore = await organizer.getByTestId("target-bar-counted").textContent();
    expect(fen(barBefore)).toBe(organizerBefore);

    const buyer = await newPage(browser(), baseUrl);
    const errors = scriptErrors(buyer);
    await signIn(buyer, "13800000001");
    await buyer.goto("/");
    await buyer
      .getByRole("link", { name: /无公害桃/ })
      .first()
      .click();
    const form = buyer
      .locator("form")
      .filter({ has: buyer.getByRole("button", { name: "加入购物车" }) })
      .first();
    await form.getByLabel("数量").fill("2");
    await form.getByRole("button", { name: "加入购物车" }).click();
    await buyer.getByText("已加入购物车。").waitFor();
    await buyer.goto("/cart");
    await buyer.getByRole("link", { name: "去结算" }).click();
    await buyer.getByLabel(/参加单位团购：局机关秋季助农团购/).check();
    await buyer.getByLabel(/银行卡/).check();
    await buyer.getByRole("button", { name: "提交订单" }).click();
    await buyer.getByRole("button", { name: "Pay" }).click();
    await buyer.waitForURL(/\/orders\/AS\d{6}-[0-9A-F]{8}\?paid=1$/);
    await buyer.getByRole("button", { name: "确认收货" }).waitFor();
    const orderFen = fen(await buyer.locator("section[aria-labelledby=lines] li p span.whitespace-nowrap").first().textContent());

    // Paid but not received: nothing counts yet.
    expect(await organizerCounted(organizer)).toBe(organizerBefore);

    await buyer.getByRole("button", { name: "确认收货" }).click();
    await buyer.getByText("已确认收货，谢谢！").waitFor();
    await buyer.getByTestId("received").waitFor();
    await buyer.locator("label", { hasText: "5 星" }).click();
    await buyer.getByLabel("评价（可选）").fill("桃子很甜，包装结实");
    await buyer.getByRole("button", { name: "提交评价" }).click();
    await buyer.getByTestId("your-rating").filter({ hasText: "您的评分：5 星" }).waitFor();

    expect(await organizerCounted(organizer)).toBe(organizerBefore + orderFen);
    expect(fen(await organizer.getByTestId("target-bar-counted").textContent())).toBe(organizerBefore + orderFen);
    expect(await bureauCounted(bureau)).toBe(bureauBefore + orderFen);
    const download = await bureau.request.get((await bureau.getByRole("link", { name: "下载 Excel" }).getAttribute("href")) ?? "");
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toContain("spreadsheetml");

    await buyer.goto("/products/peaches");
    await buyer.getByText("桃子很甜，包装结实").waitFor();
    expect(errors).toEqual([]);
  });
});
