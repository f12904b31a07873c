import jsQR from "jsqr";
import { PNG } from "pngjs";
import { describe, expect, inject, it } from "vitest";
import { newPage, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

describe("traceability labels", () => {
  it("prints a QR code that decodes to the lot's public trace page, which shows no personal data", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(page, "13800000003");
    await page.goto("/coop/lots");
    await page.getByRole("link", { name: "打印标签" }).first().click();
    await page.getByRole("heading", { level: 1, name: /的溯源标签/ }).waitFor();
    const labels = page.getByTestId("label");
    expect(await labels.count()).toBeGreaterThan(0);

    const shot = PNG.sync.read(await labels.first().getByRole("img", { name: /\/trace\// }).screenshot());
    const decoded = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    expect(decoded?.data).toMatch(/\/trace\/[A-Za-z0-9_-]+$/);

    const trace = await newPage(browser(), baseUrl);
    const response = await trace.goto(new URL(new URL(decoded!.data).pathname, baseUrl).toString());
    expect(response?.status()).toBe(200);
    const text = await trace.locator("main").textContent();
    expect(text).toContain("岸上村");
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    await trace.context().close();
    await page.context().close();
  });
});
