import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import type { Download, Locator, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { maskIdNumber, normalizeIdNumber } from "~/domain/households/id-numbers";
import { formatFen } from "~/domain/money";
import { newPage, scriptErrors, signIn, useBrowser } from "./browser";
import { shopDateOf } from "~/utils/dates";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

// A household no other journey sells for (households 29–40 have no stock), so its figures are only what this file records.
const CODE = "AS-035";
// A GB 11643 number with a valid check character (the one the integration tests use too).
const ID_NUMBER = "11010519491231002X";
const INCOME_FEN = 1_234_567;
const FLAG_NOTE = "户主住院治疗，医药费负担重";
const ACK_NOTE = "已联系镇卫生院，申请大病救助";
const today = shopDateOf(new Date());
const year = Number(today.slice(0, 4));

/** The value shown under a StatCard's label inside `scope`. */
const stat = (scope: Locator, label: string) => scope.getByText(label, { exact: true }).locator("xpath=following-sibling::p[1]");
/** The value next to a label in the file's list of facts. */
const fact = (page: Page, label: string) =>
  page
    .getByRole("term")
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator("xpath=following-sibling::dd[1]");
const incomeSection = (page: Page) => page.getByRole("region", { name: /年收入情况/ });
const manage = (page: Page, section: RegExp) => page.getByRole("region", { name: section }).getByRole("link", { name: "管理" });

/** The fields of one CSV line, every one of which the app quotes. */
const csvCells = (line: string) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!.replace(/""/g, '"'));

async function download(page: Page, scope: Locator, name: string): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), scope.getByRole("link", { name }).click()]);
  const path = await file.path();
  return { file, bytes: await readFile(path) };
}

// The steps run in order on one signed-in page, each going on from where the one before left the household.
describe("the village work team keeps a household's file and reports on it", () => {
  let page: Page;
  let errors: string[] = [];
  let fileUrl = "";

  beforeAll(async () => {
    page = await newPage(browser(), baseUrl);
    errors = scriptErrors(page);
    await signIn(page, "13800000004");
  });
  afterAll(async () => {
    await page.context().close();
  });

  it("finds the household in the list and opens its file", async () => {
    expect(normalizeIdNumber(ID_NUMBER)).toBe(ID_NUMBER);
    await page.getByRole("heading", { level: 1, name: "工作队工作台" }).waitFor();
    await page.getByRole("link", { name: /^农户档案\s*\d+$/ }).click();
    await page.getByRole("heading", { level: 1, name: "农户档案" }).waitFor();
    await page.getByRole("searchbox", { name: "按户码、户主或村民小组搜索" }).fill(CODE);
    await page.getByRole("button", { name: "搜索" }).click();
    await page.waitForURL(/q=AS-035/);
    await page.getByRole("link", { name: new RegExp(CODE) }).click();
    await page.getByRole("heading", { level: 1, name: `一户一档：${CODE}` }).waitFor();
    fileUrl = new URL(page.url()).pathname;
    await page.getByText("尚未登记家庭成员。").waitFor();
  });

  it("adds a member with an ID number, which shows masked and sets the household size", async () => {
    await manage(page, /^家庭成员/).click();
    await page.getByRole("heading", { level: 1, name: `家庭成员：${CODE}` }).waitFor();
    const form = page.getByRole("region", { name: "添加成员" });
    await form.getByLabel("姓名").fill("赵小梅");
    await form.getByLabel("与户主关系").fill("女儿");
    await form.getByLabel("年龄段").selectOption({ label: "6–15 岁（义务教育）" });
    await form.getByLabel("在校情况").fill("小学四年级");
    await form.getByLabel("身份证号（可选）").fill(ID_NUMBER);
    await form.getByRole("button", { name: "添加成员" }).click();
    await page.getByText(maskIdNumber(ID_NUMBER)).waitFor();
    expect(await page.getByRole("listitem").filter({ hasText: "赵小梅" }).textContent()).toContain("女儿");
    expect(await page.content()).not.toContain(ID_NUMBER);

    await page.getByRole("link", { name: "返回档案" }).click();
    await page.getByRole("heading", { level: 1, name: `一户一档：${CODE}` }).waitFor();
    await expect(fact(page, "家庭人口").textContent()).resolves.toBe("1");
    const member = page
      .getByRole("region", { name: /^家庭成员/ })
      .getByRole("listitem")
      .filter({ hasText: "赵小梅" });
    await expect(member.textContent()).resolves.toContain(maskIdNumber(ID_NUMBER));
    expect(await page.content()).not.toContain(ID_NUMBER);

    // The list follows the member list too, and the number read out finds the household without being shown.
    await page.goto(`/team/households?q=${CODE}`);
    await expect(page.getByRole("link", { name: new RegExp(CODE) }).textContent()).resolves.toContain("1 人");
    await page.getByLabel("身份证号（不会被保存或记录）").fill(ID_NUMBER);
    await page.getByRole("button", { name: "查找" }).click();
    await page.getByRole("heading", { level: 1, name: `一户一档：${CODE}` }).waitFor();
    expect(page.url()).not.toContain(ID_NUMBER);
  });

  it("removes a member only after the confirmation", async () => {
    await page.goto(`${fileUrl}/members`);
    const form = page.getByRole("region", { name: "添加成员" });
    await form.getByLabel("姓名").fill("临时登记");
    await form.getByLabel("与户主关系").fill("侄子");
    await form.getByLabel("年龄段").selectOption({ label: "16–59 岁（劳动年龄）" });
    await form.getByRole("button", { name: "添加成员" }).click();
    await form.getByRole("status").filter({ hasText: "已添加成员。" }).waitFor();
    const extra = page.getByRole("listitem").filter({ hasText: "临时登记" });
    await extra.getByText("移除成员").click();
    await extra.getByText("从成员名单中移除 临时登记？").waitFor();
    await extra.getByRole("button", { name: "确认移除" }).click();
    await extra.waitFor({ state: "detached" });
    await expect(page.getByRole("listitem").filter({ hasText: "赵小梅" }).count()).resolves.toBe(1);
  });

  it("adds this year's other income and the income picture changes", async () => {
    await page.goto(fileUrl);
    const income = incomeSection(page);
    await income.waitFor();
    const assistanceFen = Math.round(Number((await stat(income, "消费帮扶收入").textContent())!.replace(/[¥,]/g, "")) * 100);
    await expect(stat(income, "其他收入").textContent()).resolves.toBe(formatFen(0));
    const perCapitaBefore = await stat(income, "人均收入").textContent();
    // Without other income, a household with no sales is below the threshold.
    if (assistanceFen === 0) await page.getByRole("alert").filter({ hasText: "低于监测标准" }).waitFor();

    await manage(page, /^其他收入/).click();
    await page.getByRole("heading", { level: 1, name: `其他收入：${CODE}` }).waitFor();
    const form = page.getByRole("region", { name: "添加收入" });
    await form.getByLabel("年份").fill(String(year));
    await form.getByLabel("来源").selectOption({ label: "工资性收入" });
    await form.getByLabel("金额（元）").fill("12345.67");
    await form.getByLabel("说明").fill("县城务工");
    await form.getByRole("button", { name: "添加收入" }).click();
    await form.getByRole("status").filter({ hasText: "已添加收入。" }).waitFor();
    await page
      .getByRole("list", { name: "其他收入" })
      .getByRole("listitem")
      .filter({ hasText: "县城务工" })
      .filter({ hasText: formatFen(INCOME_FEN) })
      .waitFor();
    // The form is empty again for the next entry.
    await expect(form.getByLabel("金额（元）").inputValue()).resolves.toBe("");

    await page.getByRole("link", { name: "返回档案" }).click();
    await incomeSection(page).waitFor();
    await expect(stat(incomeSection(page), "其他收入").textContent()).resolves.toBe(formatFen(INCOME_FEN));
    const perCapita = await stat(incomeSection(page), "人均收入").textContent();
    // One member, so the per-capita income is the whole income.
    expect(perCapita).toBe(formatFen(assistanceFen + INCOME_FEN));
    expect(perCapita).not.toBe(perCapitaBefore);
    expect(await page.getByRole("alert").filter({ hasText: "低于监测标准" }).count()).toBe(0);
    await page
      .getByRole("region", { name: /^其他收入/ })
      .getByText("工资性收入")
      .waitFor();
  });

  it("records a risk flag", async () => {
    await manage(page, /^风险标记/).click();
    await page.getByRole("heading", { level: 1, name: `风险标记：${CODE}` }).waitFor();
    const form = page.getByRole("region", { name: "添加风险标记" });
    await form.getByLabel("风险类型").selectOption({ label: "因病" });
    await form.getByLabel("情况说明").fill(FLAG_NOTE);
    await form.getByRole("button", { name: "添加风险标记" }).click();
    await page.getByRole("listitem").filter({ hasText: FLAG_NOTE }).getByRole("button", { name: "标记为已解除" }).waitFor();
    await page.goto(fileUrl);
    await page
      .getByRole("region", { name: /^风险标记/ })
      .getByText(FLAG_NOTE)
      .waitFor();
  });

  it("finds the flag among the alerts after a re-check and acknowledges it with a note", async () => {
    await page.goto("/team/alerts");
    await page.getByRole("heading", { level: 1, name: "防返贫监测预警" }).waitFor();
    await page.getByText(/^检查时间：/).waitFor();
    await page.getByLabel("预警类型").selectOption({ label: "风险标记" });
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForURL(/kind=risk_flag/);
    const alert = page
      .getByRole("listitem")
      .filter({ hasText: CODE })
      .filter({ hasText: `因病：${FLAG_NOTE}` });
    await alert.getByLabel("处理说明").fill(ACK_NOTE);
    await alert.getByRole("button", { name: "确认处理" }).click();
    await alert.waitFor({ state: "detached" });

    await page.getByLabel("显示已处理的预警").check();
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForURL(/acknowledged=1/);
    const handled = page.getByRole("listitem").filter({ hasText: CODE }).filter({ hasText: FLAG_NOTE });
    await expect(handled.textContent()).resolves.toMatch(new RegExp(`程雪梅 于 ${year}.+ 处理：${ACK_NOTE}`));
    expect(await handled.getByRole("button", { name: "确认处理" }).count()).toBe(0);
  });

  it("changes the monitoring threshold, refusing a bad value first", async () => {
    await page.goto("/team/settings");
    await page.getByRole("heading", { level: 1, name: "监测设置" }).waitFor();
    const threshold = page.getByLabel("监测标准（人均元/年）");
    await threshold.fill("七千");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("监测标准须为大于 0、不超过 21,474,836.47 元的金额，最多两位小数").waitFor();
    await expect(threshold.getAttribute("aria-invalid")).resolves.toBe("true");
    await threshold.fill("7500");
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByRole("status").filter({ hasText: "设置已保存。" }).waitFor();
    await page.reload();
    await expect(page.getByLabel("监测标准（人均元/年）").inputValue()).resolves.toBe("7500.00");
    await page.goto(fileUrl);
    await expect(stat(incomeSection(page), "监测标准").textContent()).resolves.toBe(formatFen(750_000));
  });

  it("draws the dashboard's charts as inline SVG, each with its table, and loads no charting library", async () => {
    await page.goto("/team");
    const scripts: Promise<string>[] = [];
    const collect = (response: Response) => {
      if (response.request().resourceType() === "script") scripts.push(response.text());
    };
    page.on("response", collect);
    await page.getByRole("link", { name: "统计图表" }).click();
    await page.getByRole("heading", { level: 1, name: "统计图表" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "统计图表" }).waitFor();
    await page.waitForLoadState("networkidle");
    page.off("response", collect);
    const loaded = await Promise.all(scripts);
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((source) => /recharts/i.test(source))).toEqual([]);

    const households = page.getByRole("figure", { name: `各户消费帮扶收入 · ${year}` });
    const householdRows = households.getByRole("table").getByRole("row");
    const rowCount = await householdRows.count();
    expect(rowCount).toBe(20);
    const codes = await householdRows.getByRole("rowheader").allTextContents();
    expect(codes.every((code) => /^AS-\d{3}$/.test(code))).toBe(true);
    // Drawn in the page's HTML by the server: an image named by its title and described.
    const bars = households.getByRole("img", { name: `各户消费帮扶收入 · ${year}` });
    await expect(bars.evaluate((svg) => svg.tagName.toLowerCase())).resolves.toBe("svg");
    await expect(bars.evaluate((svg) => svg.querySelector("desc")?.textContent ?? "")).resolves.toContain("横条图，共 20 项");
    const labels = await bars.locator("text").allTextContents();
    expect(labels.filter((label) => /^AS-\d{3}$/.test(label))).toEqual(codes);
    // Labels are drawn at the size of the text around them (14 px), however wide the chart is.
    const sizes = await bars.locator("text").evaluateAll((texts) => [...new Set(texts.map((t) => getComputedStyle(t).fontSize))]);
    expect(sizes).toEqual(["14px"]);

    const monthly = page.getByRole("figure", { name: `全村每月消费帮扶收入 · ${year}` });
    await expect(monthly.getByRole("table").getByRole("row").count()).resolves.toBe(12);
    await expect(monthly.getByRole("rowheader").first().textContent()).resolves.toBe("1 月");
    const columns = monthly.getByRole("img", { name: `全村每月消费帮扶收入 · ${year}` });
    const months = await columns.locator("text").allTextContents();
    expect(months.slice(-12)).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));

    const coverage = page.getByRole("figure", { name: `有销售的农户占比 · ${year}` });
    await expect(coverage.getByRole("img").evaluate((svg) => svg.querySelector("desc")?.textContent ?? "")).resolves.toMatch(
      /^环形图：\d+ 户中有 \d+ 户有销售/,
    );
  });

  it("downloads the household income report as XLSX and CSV for a period", async () => {
    await page.goto("/team/reports");
    await page.getByRole("heading", { level: 1, name: "报表导出" }).waitFor();
    await page.getByLabel("开始日期").fill(`${year}-01-01`);
    await page.getByLabel("结束日期").fill(today);
    await page.getByRole("button", { name: "生成下载链接" }).click();
    await page.getByRole("heading", { name: `时间段: ${year}-01-01 – ${today}` }).waitFor();
    const report = page.getByRole("listitem").filter({ hasText: "农户收入报表" });

    const csv = await download(page, report, "下载 CSV");
    expect(csv.file.suggestedFilename()).toBe(`household-income_${year}-01-01_${today}.csv`);
    const text = csv.bytes.toString("utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).split("\r\n").map(csvCells);
    expect(lines[0]).toEqual([
      "户码",
      "户主",
      "类别",
      "销售入账（元）",
      "退款冲回（元）",
      "消费帮扶净收入（元）",
      "已付给农户（元）",
      "其他收入（元）",
      "家庭人口",
      "人均收入（元）",
    ]);
    const csvRow = lines.find((cells) => cells[0] === CODE)!;
    expect(csvRow[7]).toBe("12345.67");
    expect(csvRow[8]).toBe("1");

    const xlsx = await download(page, report, "下载 Excel（XLSX）");
    expect(xlsx.file.suggestedFilename()).toBe(`household-income_${year}-01-01_${today}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(xlsx.bytes).buffer);
    const sheet = workbook.getWorksheet("农户收入")!;
    expect(sheet.getCell("A1").value).toBe("户码");
    expect(sheet.getCell("H1").value).toBe("其他收入（元）");
    let row: ExcelJS.Row | undefined;
    sheet.eachRow((candidate) => {
      if (candidate.getCell(1).value === CODE) row = candidate;
    });
    expect(row?.getCell(8).value).toBe(12345.67);
    expect(row?.getCell(8).numFmt).toBe("0.00");
    expect(row?.getCell(9).value).toBe(1);
  });

  it("opens the household file's print view", async () => {
    await page.goto(fileUrl);
    await page.getByRole("link", { name: "打印", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: `一户一档：${CODE}（${year} 年）` }).waitFor();
    const print = page.getByRole("article");
    // On a phone each member is a card naming every value; on paper, a table row.
    const member = print.getByRole("list", { name: "家庭成员" }).getByRole("listitem").filter({ hasText: "赵小梅" });
    await expect(member.textContent()).resolves.toBe(
      `赵小梅与户主关系女儿年龄段6–15 岁（义务教育）健康、在校与就业小学四年级身份证号${maskIdNumber(ID_NUMBER)}`,
    );
    await print
      .getByRole("row")
      .filter({ hasText: "县城务工" })
      .filter({ hasText: formatFen(INCOME_FEN) })
      .waitFor();
    await expect(print.getByRole("row", { name: /家庭人口/ }).textContent()).resolves.toBe("家庭人口1");
    expect(await page.content()).not.toContain(ID_NUMBER);
  });

  it("ran every page without a script error", () => {
    expect(errors).toEqual([]);
  });
});

// Text of the page's own making (headings, labels, buttons, column and row names), as opposed to what people
// recorded (names, notes): in English it must hold no Chinese.
const CHROME = "main :is(h1, h2, h3, label, button, th, dt, caption, figcaption, legend)";
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

describe.each([
  ["zh-CN", "岸上村助农商城"],
  ["en-US", "Anshang Village Shop"],
])("every work-team page in %s", (locale, shopName) => {
  let phone: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    phone = await newPage(browser(), baseUrl, { locale, viewport: { width: 375, height: 812 } });
    errors = scriptErrors(phone);
    await signIn(phone, "13800000004");
  });
  afterAll(async () => {
    await phone.context().close();
  });

  it("fits a 375 px phone, has its own title, and speaks one language", async () => {
    await phone.goto(`/team/households?q=${CODE}`);
    const file = await phone.getByRole("link", { name: new RegExp(CODE) }).getAttribute("href");
    const paths = [
      "/team",
      "/team/households",
      "/team/households/new",
      file!,
      `${file}/edit`,
      `${file}/members`,
      `${file}/income`,
      `${file}/flags`,
      `${file}/print`,
      "/team/alerts?acknowledged=1",
      "/team/settings",
      "/team/dashboard",
      "/team/dashboard?sort=code&all=1",
      "/team/reports",
    ];
    for (const path of paths) {
      await phone.goto(path);
      await phone.getByRole("heading", { level: 1 }).first().waitFor();
      await expect(
        phone.evaluate(() => document.documentElement.scrollWidth),
        path,
      ).resolves.toBeLessThanOrEqual(375);
      const title = await phone.title();
      expect(title, path).toMatch(new RegExp(`^.+ · ${shopName}$`));
      if (locale === "en-US") {
        const chrome = await phone.locator(CHROME).allInnerTexts();
        expect(
          chrome.filter((text) => CJK.test(text)),
          path,
        ).toEqual([]);
      }
    }
    await phone.goto(file!);
    await expect(phone.getByRole("link", { name: locale === "en-US" ? "Print" : "打印", exact: true }).count()).resolves.toBe(1);
    if (locale === "en-US") await expect(phone.getByRole("main").innerText()).resolves.not.toMatch(/打印|[一二三四五]组/);
    expect(errors).toEqual([]);
  });
});
