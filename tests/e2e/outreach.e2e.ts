import { readFile } from "node:fs/promises";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import type { Locator } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { newPage, scriptErrors, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

function decodeQr(png: Buffer) {
  const image = PNG.sync.read(png);
  return { width: image.width, height: image.height, text: jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data };
}

/** What a phone camera would read from this element as it is drawn. */
async function scan(element: Locator) {
  return decodeQr(await element.screenshot()).text;
}

describe("beyond the screen", () => {
  it("an organizer downloads the group order's poster, and its QR code opens the group order for a signed-out colleague", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    const errors = scriptErrors(page);
    await signIn(page, "13800000002");
    await page.goto("/organizer");
    await page.getByRole("link", { name: /局机关秋季助农团购/ }).click();
    await page.getByRole("heading", { level: 1, name: "局机关秋季助农团购" }).waitFor();
    await page.getByRole("link", { name: "分享海报" }).click();
    await page.getByRole("heading", { level: 1, name: "分享海报：局机关秋季助农团购" }).waitFor();
    await page.getByRole("img", { name: "中文海报预览" }).waitFor();

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("poster-download-zh").click()]);
    expect(download.suggestedFilename()).toMatch(/^group-order-.+-zh\.png$/);
    const poster = decodeQr(await readFile((await download.path())!));
    expect([poster.width, poster.height]).toEqual([1080, 1920]);
    expect(poster.text).toMatch(new RegExp(`^${baseUrl}/g/[a-z0-9]+$`));
    // The English poster is ready as well, and both previews have loaded.
    for (const name of ["中文海报预览", "英文海报预览"]) {
      await expect(page.getByRole("img", { name }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(
        1080,
      );
    }
    expect(errors).toEqual([]);

    const colleague = await newPage(browser(), baseUrl);
    await colleague.goto(poster.text!);
    await colleague.getByRole("heading", { level: 1, name: "局机关秋季助农团购" }).waitFor();
    await colleague.getByText("参团单位：局机关").waitFor();
    await colleague.getByRole("link", { name: "登录后参加" }).click();
    await signInHere(colleague);
    await colleague.waitForURL(poster.text!);
    await colleague.getByText(/结算时选择“参加单位团购：局机关秋季助农团购”/).waitFor();
    await colleague.context().close();
    await page.context().close();
  });

  it("the work team prints the village's cards, and a card's QR code opens that household's own page, and no other", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
    const errors = scriptErrors(page);
    await signIn(page, "13800000004");
    await page.goto("/team");
    await page.getByRole("link", { name: "户卡", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "户卡" }).waitFor();
    await page.getByRole("button", { name: "为未制卡的农户制卡并打印" }).click();
    await page.getByText(/^已制作 \d+ 张户卡/).waitFor();
    const cards = page.getByTestId("household-card");
    expect(await cards.count()).toBeGreaterThanOrEqual(8);

    // As the printer sees the page: the sheet only, eight cards to an A4 page.
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("button", { name: "为未制卡的农户制卡并打印" }).isVisible()).resolves.toBe(false);
    const first = cards.first();
    const code = (await first.locator("p").nth(1).textContent())!;
    const url = await scan(first.getByTestId("card-qr"));
    expect(url).toMatch(new RegExp(`^${baseUrl}/h/[A-Za-z0-9_-]{43}$`));
    await page.emulateMedia({ media: "screen" });
    expect(errors).toEqual([]);

    // The household's phone: no account, Chinese, large type, its own code and nothing of anyone else's.
    const phone = await newPage(browser(), baseUrl, { locale: "en-US" });
    const response = await phone.goto(url!);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toBe("private, no-store");
    expect(response?.headers()["x-robots-tag"]).toBe("noindex, nofollow");
    await phone.getByTestId("card-household").filter({ hasText: code }).waitFor();
    await phone.getByText("合作社为您家保管的钱").waitFor();
    const other = await cards.nth(1).locator("p").nth(1).textContent();
    expect(await phone.content()).not.toContain(other!);
    // A card cut short opens nothing.
    const cut = await phone.goto(url!.slice(0, -5));
    expect(cut?.status()).toBe(404);
    expect(cut?.headers()["cache-control"]).toBe("private, no-store");
    await phone.getByRole("heading", { name: "这张卡打不开" }).waitFor();
    await phone.context().close();

    // The team sees that the card was opened.
    await page.goto(`/team/cards?q=${code}`);
    await page
      .getByTestId(`card-status-${code}`)
      .getByText(/打开 1 次/)
      .waitFor();
    await page.context().close();
  });
});

async function signInHere(page: import("playwright-core").Page) {
  await page.getByLabel(/手机号或邮箱|Phone or email/).fill("13800000001");
  await page.getByLabel(/^密码$|^Password$/).fill("anshang2026");
  await page.getByRole("button", { name: /^登录$|^Sign in$/ }).click();
}
