import jsQR from "jsqr";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { POSTER_HEIGHT, POSTER_WIDTH, posterElement, posterTextLayer, type PosterContent } from "~/domain/posters/poster-layout";
import { drawPoster, posterKey, posterTranslator } from "~/domain/posters/render.server";

const peach = (n: number) => ({
  skuCode: `PEACH-${n}`,
  productZh: "无公害桃",
  productEn: "Pollution-free peaches",
  skuZh: `一级果 ${n}公斤礼盒`,
  skuEn: `Grade A, ${n} kg gift box`,
  priceFen: 8800 + n,
  photoPath: "/images/peaches.svg",
});

const content: PosterContent = {
  groupOrderId: "cgroup0001",
  title: "局机关秋季助农团购",
  units: [
    { name: "局机关", nameEn: "Bureau HQ" },
    { name: "第一地质队", nameEn: "Team 1" },
  ],
  items: [
    peach(5),
    {
      skuCode: "NOODLE-2.5KG",
      productZh: "手工粉条",
      productEn: "Hand-made sweet-potato noodles",
      skuZh: "2.5公斤袋装",
      skuEn: "2.5 kg bag",
      priceFen: 7500,
      photoPath: null,
    },
  ],
  closesAt: "2026-07-01T10:00:00.000Z",
  pickupPoint: "局机关大院东门传达室",
  deliveryDate: "2026-07-03",
  producers: { names: ["王家", "李家"], groups: [{ group: "三组", count: 2 }] },
  url: "https://shop.example/g/cgroup0001",
};

const textOf = (poster: PosterContent, locale: "zh" | "en") =>
  posterTextLayer(
    posterElement({
      content: poster,
      locale,
      t: posterTranslator(locale),
      photos: { "/images/peaches.svg": "data:," },
      qrDataUrl: "data:,",
    }),
  );

function decode(png: Buffer) {
  const image = PNG.sync.read(png);
  return { width: image.width, height: image.height, qr: jsQR(new Uint8ClampedArray(image.data), image.width, image.height) };
}

describe("the group-order poster", () => {
  it("says what, how much, until when, where and who grew it, in Chinese", () => {
    expect(textOf(content, "zh")).toMatchInlineSnapshot(`
      [
        "岸上村助农商城",
        "单位团购",
        "局机关秋季助农团购",
        "参团单位：局机关、第一地质队",
        "无公害桃",
        "一级果 5公斤礼盒",
        "PEACH-5",
        "¥88.05",
        "手",
        "手工粉条",
        "2.5公斤袋装",
        "NOODLE-2.5KG",
        "¥75.00",
        "截止时间：2026年7月1日 18:00",
        "自提：局机关大院东门传达室 · 2026年7月3日",
        "供货农户：王家、李家、三组2户",
        "微信扫码 参加团购",
        "买岸上村的桃和粉条，每一分钱都记入生产农户的账上",
      ]
    `);
  });

  it("and in English", () => {
    expect(textOf(content, "en")).toMatchInlineSnapshot(`
      [
        "Anshang Village Shop",
        "Unit group order",
        "局机关秋季助农团购",
        "For: Bureau HQ, Team 1",
        "Pollution-free peaches",
        "Grade A, 5 kg gift box",
        "PEACH-5",
        "¥88.05",
        "H",
        "Hand-made sweet-potato noodles",
        "2.5 kg bag",
        "NOODLE-2.5KG",
        "¥75.00",
        "Closes Jul 1, 2026, 6:00 PM",
        "Pick up: 局机关大院东门传达室 · Jul 3, 2026",
        "Grown by: 王家, 李家, 2 households of 三组",
        "Scan with WeChat to join",
        "Buy Anshang's peaches and noodles: every fen is credited to the household that produced them",
      ]
    `);
  });

  it("shows three of thirty products and says how many more; with none it says they are coming", () => {
    const thirty = textOf({ ...content, items: Array.from({ length: 30 }, (_, i) => peach(i + 1)) }, "zh");
    expect(thirty.filter((text) => text.startsWith("PEACH-"))).toEqual(["PEACH-1", "PEACH-2", "PEACH-3"]);
    expect(thirty).toContain("还有 27 款商品，扫码查看");
    const four = textOf({ ...content, items: Array.from({ length: 4 }, (_, i) => peach(i + 1)) }, "en");
    expect(four.filter((text) => text.startsWith("PEACH-"))).toHaveLength(4);
    expect(textOf({ ...content, items: [] }, "en")).toContain("Products coming soon: scan to see");
  });

  it("names at most eight producers and counts the rest", () => {
    const many = { names: Array.from({ length: 10 }, (_, i) => `王${i}家`), groups: [{ group: "三组", count: 4 }] };
    const line = textOf({ ...content, producers: many }, "zh").find((text) => text.startsWith("供货农户"));
    expect(line).toBe("供货农户：王0家、王1家、王2家、王3家、王4家、王5家、王6家、王7家等6户");
  });

  it("is a 1080 px wide phone-portrait PNG whose QR code opens the group order's page", async () => {
    for (const locale of ["zh", "en"] as const) {
      const { width, height, qr } = decode(Buffer.from(await drawPoster(content, locale)));
      expect([width, height]).toEqual([POSTER_WIDTH, POSTER_HEIGHT]);
      expect(height).toBeGreaterThan(width);
      expect(qr?.data).toBe(content.url);
    }
  });

  it("is cached under a key that changes with anything it shows", () => {
    const key = posterKey(content, "zh");
    expect(posterKey(structuredClone(content), "zh")).toBe(key);
    expect(posterKey(content, "en")).not.toBe(key);
    expect(posterKey({ ...content, items: [{ ...peach(5), priceFen: 9900 }, content.items[1]!] }, "zh")).not.toBe(key);
    expect(posterKey({ ...content, closesAt: "2026-07-02T10:00:00.000Z" }, "zh")).not.toBe(key);
  });
});
