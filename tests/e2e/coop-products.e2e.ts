import { PNG } from "pngjs";
import type { Locator, Page, Response } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { hydrated, newPage, scriptErrors, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

/** A small, real PNG of one colour (different colours give different files, hence different URLs). */
function pngOf(width: number, height: number, [r, g, b]: [number, number, number]) {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(png);
}

async function uploadPhoto(page: Page, file: { name: string; buffer: Buffer }, alt?: string) {
  const photos = page.getByRole("region", { name: "照片" });
  await photos.getByLabel("照片文件").setInputFiles({ ...file, mimeType: "image/png" });
  if (alt) await photos.getByLabel("图片说明（中文）").fill(alt);
  await photos.getByRole("button", { name: "上传照片" }).click();
}

/** Every uploaded photo the page's browser fetched over the network, by path. */
function photoResponses(page: Page) {
  const fetched = new Map<string, Response>();
  page.on("response", (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith("/uploads/products/")) fetched.set(pathname, response);
  });
  return fetched;
}

/** Scrolls a (lazy) image into view and waits until the browser has it decoded: it is a picture, not a broken icon. */
async function shown(image: Locator) {
  await image.scrollIntoViewIfNeeded();
  await image.evaluate((element: HTMLImageElement) => element.decode());
  expect(await image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(40);
  return (await image.getAttribute("src"))!;
}

describe("the cooperative puts a new product on sale", () => {
  it("creates it with a SKU and photos, and an anonymous visitor finds it with its photo and price", async () => {
    const hive = pngOf(40, 30, [230, 170, 20]);
    const comb = pngOf(40, 30, [180, 110, 10]);
    const coop = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    const coopErrors = scriptErrors(coop);
    await signIn(coop, "13800000003");
    await coop.goto("/coop/products");
    await hydrated(coop);
    await coop.getByRole("link", { name: "新增商品" }).click();
    await coop.getByRole("heading", { level: 1, name: "新增商品" }).waitFor();
    await hydrated(coop);
    await coop.getByLabel("名称（中文）").fill("岸上土蜂蜜");
    await coop.getByLabel("名称（英文）").fill("Anshang Wild Honey");
    await coop.getByLabel("介绍（中文）").fill("后山槐花蜜，农户自家蜂箱，不加糖不兑水。");
    await coop.getByLabel("上市季节（中文）").fill("5–6 月");
    await coop.getByRole("button", { name: "创建商品" }).click();
    await coop.getByRole("heading", { level: 1, name: "岸上土蜂蜜" }).waitFor();
    await hydrated(coop);
    await coop.getByText("未上架").waitFor();
    await expect(coop.getByLabel("网址名").inputValue()).resolves.toBe("anshang-wild-honey");

    // A SKU priced in yuan.
    const newSku = coop.locator("form").filter({ has: coop.getByRole("button", { name: "新增规格" }) });
    await newSku.getByLabel("规格编码").fill("HONEY-500G");
    await newSku.getByLabel("名称（中文）").fill("500克瓶装");
    await newSku.getByLabel("名称（英文）").fill("500 g jar");
    await newSku.getByLabel("单价（元）").fill("68.50");
    await newSku.getByLabel("重量（克）").fill("650");
    await newSku.getByRole("button", { name: "新增规格" }).click();
    await coop.getByText("已添加规格 HONEY-500G。").waitFor();
    // The SKU's own form, found by its code, not by position (the empty form for the next SKU is in the same region).
    const savedSku = coop
      .getByRole("region", { name: "规格" })
      .getByRole("listitem")
      .filter({ has: coop.locator('input[name="code"][value="HONEY-500G"]') });
    await savedSku.waitFor();
    await expect(savedSku.getByLabel("单价（元）").inputValue()).resolves.toBe("68.50");

    // Two photos; the second becomes the main one.
    await uploadPhoto(coop, { name: "hive.png", buffer: hive }, "蜂箱");
    await coop.getByText("已上传照片。").waitFor();
    await uploadPhoto(coop, { name: "comb.png", buffer: comb }, "蜂巢");
    const photos = coop.getByRole("region", { name: "照片" });
    const combCard = photos.getByRole("listitem").filter({ has: coop.getByRole("img", { name: "蜂巢" }) });
    await combCard.waitFor();
    await expect(combCard.textContent()).resolves.toContain("40 × 30");
    await combCard.getByRole("button", { name: "设为首图" }).click();
    await coop.getByText("已设为首图。").waitFor();
    await photos.getByRole("listitem").first().getByRole("img", { name: "蜂巢" }).waitFor();
    await expect(photos.getByRole("listitem").first().textContent()).resolves.toContain("首图");

    // A text file renamed .png is refused for what its bytes are, and nothing is added.
    await uploadPhoto(coop, { name: "price-list.png", buffer: Buffer.from("蜂蜜价目表：500克 68.5 元\n") });
    await photos.getByText("这不是 JPEG、PNG 或 WebP 图片").waitFor();
    await expect(photos.getByRole("img").count()).resolves.toBe(2);

    // A third photo, uploaded by mistake, is removed once the removal is confirmed.
    await uploadPhoto(coop, { name: "blurred.png", buffer: pngOf(40, 30, [90, 90, 90]) }, "模糊");
    const blurred = photos.getByRole("listitem").filter({ has: coop.getByRole("img", { name: "模糊" }) });
    await blurred.getByText("删除照片", { exact: true }).click();
    await blurred.getByText("删除后不能恢复。确定删除这张照片？").waitFor();
    await blurred.getByRole("button", { name: "确定删除" }).click();
    await photos.getByText("已删除照片。").waitFor();
    await blurred.waitFor({ state: "detached" });
    await expect(photos.getByRole("img").count()).resolves.toBe(2);

    // On sale.
    const details = coop.getByRole("region", { name: "商品信息" });
    await details.getByLabel("在售").check();
    await details.getByRole("button", { name: "保存" }).click();
    await details.getByText("已保存。").waitFor();
    await coop.getByRole("link", { name: "在商城查看" }).waitFor();

    // An anonymous visitor sees it on the home page with the main photo and the price...
    const visitor = await newPage(browser(), baseUrl);
    const visitorErrors = scriptErrors(visitor);
    const fetched = photoResponses(visitor);
    await visitor.goto("/");
    await hydrated(visitor);
    const card = visitor.getByRole("link", { name: /岸上土蜂蜜/ });
    await expect(card.textContent()).resolves.toContain("¥68.50 起");
    const mainPhoto = await shown(card.getByRole("img", { name: "蜂巢" }));
    expect(mainPhoto).toMatch(/^\/uploads\/products\/[0-9a-f]{64}\.png$/);
    const served = fetched.get(mainPhoto)!;
    expect(served.status()).toBe(200);
    expect(served.headers()["cache-control"]).toMatch(/\bimmutable\b/);
    expect(served.headers()["content-type"]).toBe("image/png");
    expect(Buffer.compare(await served.body(), comb)).toBe(0);

    // ...and on the product page, both photos, the main one first, and the SKU's price.
    await card.click();
    await visitor.getByRole("heading", { level: 1, name: "岸上土蜂蜜" }).waitFor();
    const gallery = visitor.getByRole("region", { name: "商品图片" });
    await expect(gallery.getByRole("img").first().getAttribute("alt")).resolves.toBe("蜂巢");
    await expect(gallery.getByRole("img").count()).resolves.toBe(2);
    await expect(shown(gallery.getByRole("img").first())).resolves.toBe(mainPhoto);
    const otherPhoto = await shown(gallery.getByRole("img", { name: "蜂箱" }));
    expect(otherPhoto).toMatch(/^\/uploads\/products\/[0-9a-f]{64}\.png$/);
    expect(otherPhoto).not.toBe(mainPhoto);
    expect(fetched.get(otherPhoto)?.headers()["cache-control"]).toMatch(/\bimmutable\b/);
    await visitor.getByText("500克瓶装").waitFor();
    await visitor.getByText("¥68.50", { exact: true }).waitFor();

    expect(visitorErrors).toEqual([]);
    expect(coopErrors).toEqual([]);
    await visitor.context().close();
    await coop.context().close();
  });
});
