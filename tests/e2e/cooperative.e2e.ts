import jsQR from "jsqr";
import { PNG } from "pngjs";
import { describe, expect, inject, it } from "vitest";
import { hydrated, newPage, scriptErrors, signIn, useBrowser } from "./browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

describe("traceability labels", () => {
  it("prints a QR code that decodes to the lot's public trace page, which shows no personal data", async () => {
    const page = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(page, "13800000003");
    await page.goto("/coop/lots");
    await hydrated(page);
    await page.getByRole("link", { name: "打印标签" }).first().click();
    await page.getByRole("heading", { level: 1, name: /的溯源标签/ }).waitFor();
    const labels = page.getByTestId("label");
    expect(await labels.count()).toBeGreaterThan(0);

    const shot = PNG.sync.read(
      await labels
        .first()
        .getByRole("img", { name: /\/trace\// })
        .screenshot(),
    );
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

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe("a box's way from a household to a buyer", () => {
  it("is received, bought, moved to another lot before packing, picked, shipped, delivered, traced, and partly refunded exactly", async () => {
    // The cooperative receives 5 boxes from AS-040, due before every other lot of that SKU (so FIFO takes it first).
    const coop = await newPage(browser(), baseUrl, { viewport: { width: 1280, height: 900 } });
    await signIn(coop, "13800000003");
    await coop.goto("/coop/lots?q=AS-040");
    await hydrated(coop);
    await coop.getByLabel("规格").selectOption({ label: "无公害桃 一级果 5公斤礼盒 (PEACH-A-5KG)" });
    await coop.getByRole("combobox", { name: "供货农户（户编号或展示名）" }).selectOption({ index: 0 });
    await coop.getByLabel("数量（件）").fill("5");
    await coop.getByLabel("生产日期").fill(isoDay(-1));
    await coop.getByLabel("入库日期").fill(isoDay(0));
    await coop.getByLabel("最佳食用日期").fill(isoDay(2));
    await coop.getByRole("button", { name: "入库" }).click();
    const received = await coop.getByText(/已入库批次 (L-[0-9A-Z-]+)/).textContent();
    const lotCode = /L-[0-9A-Z-]+/.exec(received!)![0];

    // An employee buys 3 boxes for home delivery and pays by card.
    const buyer = await newPage(browser(), baseUrl);
    await signIn(buyer, "13800000001");
    await buyer.goto("/products/peaches");
    await hydrated(buyer);
    const gradeA = buyer.locator("li").filter({ hasText: "一级果" }).locator("form").filter({ hasText: "加入购物车" }).first();
    await gradeA.getByLabel("数量").fill("3");
    await gradeA.getByRole("button", { name: "加入购物车" }).click();
    await buyer.getByText("已加入购物车。").waitFor();
    await buyer.goto("/checkout");
    await hydrated(buyer);
    await buyer.getByLabel(/送货上门/).check();
    await buyer.getByLabel("收货人").fill("林小雨");
    await buyer.getByLabel("联系电话").fill("13800000001");
    await buyer.getByLabel("详细地址").fill("北京市西城区某街 1 号");
    await buyer.getByLabel(/银行卡/).check();
    await buyer.getByRole("button", { name: "提交订单" }).click();
    await buyer.getByRole("button", { name: "Pay" }).click();
    await buyer.waitForURL(/\/orders\/(AS[\w-]+)\?paid=1$/);
    const orderNumber = /\/orders\/(AS[\w-]+)/.exec(buyer.url())![1]!;
    await buyer.getByText("+¥242.88").waitFor();

    // The cooperative's picking list names the household and the lot.
    await coop.goto("/coop/picking");
    await hydrated(coop);
    await coop
      .getByText(new RegExp(`AS-040[\\s\\S]*${lotCode}|${lotCode}`))
      .first()
      .waitFor();

    // Before packing, the boxes move to another lot (this one turned out spoiled), and the picking list follows them.
    await coop.goto("/coop/orders");
    await hydrated(coop);
    await coop.getByRole("link", { name: new RegExp(orderNumber) }).click();
    await coop.getByText("换批次", { exact: true }).click();
    const moveForm = coop.locator('form:has(input[value="move"])');
    const target = moveForm.locator('select[name="toLotId"] option:not([disabled])').first();
    const movedTo = /L-[0-9A-Z-]+/.exec((await target.textContent())!)![0];
    await moveForm.getByLabel("改由哪个批次供货").selectOption((await target.getAttribute("value"))!);
    await moveForm.getByText(/这 3 件的收入 ¥242.88 将从农户 AS-040 冲回/).waitFor();
    await moveForm.getByLabel("我已核实，确认换批次").check();
    await moveForm.getByRole("button", { name: "确认换批次" }).click();
    await coop.getByText("已换批次：3 件改由新批次供货。").waitFor();
    await coop.getByText(`批次 ${movedTo} · 3 件`).waitFor();
    await coop.goto("/coop/picking");
    await hydrated(coop);
    await coop.getByText(movedTo).first().waitFor();

    // Then it packs, ships and delivers: only the next step is offered, each after a confirmation. A second tab
    // opened before packing keeps offering "packed".
    await coop.goto("/coop/orders");
    await hydrated(coop);
    await coop.getByRole("link", { name: new RegExp(orderNumber) }).click();
    await coop.waitForURL(/\/coop\/orders\/[\w-]+$/);
    const orderUrl = coop.url();
    const stale = await coop.context().newPage();
    await stale.goto(orderUrl);
    for (const [state, yes] of [
      ["已打包", "确认已打包"],
      ["已发货", "确认已发货"],
      ["已送达", "确认已送达"],
    ] as const) {
      expect(await coop.locator("summary", { hasText: /^标记为/ }).allTextContents()).toEqual([`标记为${state}`]);
      await coop.getByText(`标记为${state}`, { exact: true }).click();
      await coop.getByRole("button", { name: yes }).click();
      // Wait for the order's own state, not the notice, which names the step just taken.
      await coop.getByText(new RegExp(`已付款 · ${state} · ¥`)).waitFor();
      await coop.getByText(`已标记为${state}。`).waitFor();
    }
    // A delivered order offers no step; the stale tab's "packed" is refused in Chinese, saying where the order is.
    await coop.getByText("这个订单已送达，没有后续步骤。").waitFor();
    expect(await coop.locator("summary", { hasText: /^标记为/ }).count()).toBe(0);
    await stale.getByText("标记为已打包", { exact: true }).click();
    await stale.getByRole("button", { name: "确认已打包" }).click();
    await stale.getByRole("alert").filter({ hasText: "这个订单已送达，不能再更改发货进度" }).waitFor();
    expect(await stale.locator("main").textContent()).not.toMatch(/cannot|delivered|packed/);
    await stale.close();
    await buyer.reload();
    // The timeline step is dated once it has happened.
    await buyer
      .locator("ol li")
      .filter({ hasText: "已送达" })
      .filter({ hasText: /\d{4}年/ })
      .waitFor();

    // The label of that lot leads to the household it came from.
    await coop.goto("/coop/lots?q=AS-040");
    await hydrated(coop);
    const lotRow = coop.getByRole("listitem").filter({ hasText: lotCode });
    await lotRow.getByRole("link", { name: "打印标签" }).click();
    const traceUrl = await coop
      .getByTestId("label")
      .first()
      .getByRole("img", { name: /\/trace\// })
      .getAttribute("aria-label");
    const trace = await newPage(browser(), baseUrl);
    await trace.goto(new URL(traceUrl!).pathname);
    await trace.getByText(lotCode).first().waitFor();
    expect(await trace.locator("main").textContent()).toMatch(/家/);
    await trace.context().close();

    // A partial refund of 1 box reverses exactly that box's credit: 2 boxes stay credited.
    await coop.goto("/coop/orders");
    await hydrated(coop);
    await coop.getByRole("link", { name: new RegExp(orderNumber) }).click();
    const refundForm = coop.locator('form:has(input[value="refund"])');
    await refundForm.getByLabel("退款件数").fill("1");
    await refundForm.getByLabel("原因").fill("一箱破损");
    await refundForm.getByLabel("我已核实，确认执行（不可撤销）").check();
    await refundForm.getByRole("button", { name: "确认退款" }).click();
    await coop.getByText("已退款 ¥88.00。").waitFor();
    await buyer.reload();
    await buyer.getByText("+¥161.92").waitFor();
    await buyer.context().close();
    await coop.context().close();
  });
});

describe("the cooperative console on a phone", () => {
  it("fits every page in 375 px and says it is loading while a picking list is on its way", async () => {
    // A closed group order with a long title and pickup point, as the picking page lists them.
    const organizer = await newPage(browser(), baseUrl);
    await signIn(organizer, "13800000002");
    await organizer.goto("/organizer/group-orders/new");
    await hydrated(organizer);
    const title = `局机关第二季度职工消费帮扶团购——岸上村无公害桃与手工粉条专场 ${Date.now()}`;
    await organizer.getByLabel("团购名称").fill(title);
    await organizer.getByRole("group", { name: "商品" }).getByRole("checkbox").first().check();
    await organizer.getByLabel("自提点").fill("局机关大院东门传达室旁边的职工活动中心一楼大厅");
    await organizer.getByRole("button", { name: "发起" }).click();
    await organizer.getByRole("heading", { level: 1, name: title }).waitFor();
    await organizer.getByText("提前截止", { exact: true }).click();
    await organizer.getByRole("button", { name: "确定截止" }).click();
    await organizer.getByTestId("group-state").filter({ hasText: "已截止" }).waitFor();
    await organizer.context().close();

    const coop = await newPage(browser(), baseUrl, { viewport: { width: 375, height: 812 } });
    const errors = scriptErrors(coop);
    await signIn(coop, "13800000003");
    const firstLink = async (list: string, pattern: RegExp) => {
      await coop.goto(list);
      const hrefs = await coop.locator("main a").evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
      const href = hrefs.find((candidate) => pattern.test(candidate));
      if (!href) throw new Error(`No link like ${pattern} on ${list}`);
      return href;
    };
    const labels = await firstLink("/coop/lots", /\/labels$/);
    await coop.goto(labels);
    const traceUrl = await coop
      .getByTestId("label")
      .first()
      .getByRole("img", { name: /\/trace\// })
      .getAttribute("aria-label");
    const pages = [
      "/coop",
      "/coop/orders",
      await firstLink("/coop/orders", /^\/coop\/orders\/[\w-]+$/),
      "/coop/lots",
      labels,
      new URL(traceUrl!).pathname,
      "/coop/picking",
      "/coop/payouts",
      await firstLink("/coop/payouts", /^\/coop\/payouts\/[\w-]+$/),
      "/coop/products",
      "/coop/products/new",
      await firstLink("/coop/products", /^\/coop\/products\/(?!new)[\w-]+$/),
    ];
    const tooWide: string[] = [];
    const measure = async (page: string) => {
      const { scrollWidth, innerWidth } = await coop.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      if (scrollWidth > innerWidth) tooWide.push(`${page}: ${scrollWidth} > ${innerWidth}`);
    };
    for (const page of pages) {
      const response = await coop.goto(page);
      expect(response?.status(), page).toBe(200);
      await measure(page);
    }

    // The picking page with the long group order chosen: while its list loads, the page says so.
    await coop.goto("/coop/picking");
    await hydrated(coop);
    const held: (() => Promise<void>)[] = [];
    await coop.route(/\/coop\/picking\.data/, (route) => {
      held.push(() => route.continue());
    });
    const option = coop.locator("select[name=group] option", { hasText: title });
    await coop.locator("select[name=group]").selectOption((await option.getAttribute("value"))!);
    await coop.getByRole("status").filter({ hasText: "正在加载…" }).waitFor();
    expect(await coop.locator("[aria-busy=true]").count()).toBeGreaterThan(0);
    for (const release of held) await release();
    await coop.unroute(/\/coop\/picking\.data/);
    await coop.waitForURL(/\/coop\/picking\?group=/);
    await coop.getByRole("status").filter({ hasText: "正在加载…" }).waitFor({ state: "detached" });
    await measure("/coop/picking?group=…");

    expect(tooWide).toEqual([]);
    expect(errors).toEqual([]);
    await coop.context().close();
  });
});
