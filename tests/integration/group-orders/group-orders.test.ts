import ExcelJS from "exceljs";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { startCancellation } from "~/domain/group-orders/bulk.server";
import { reportCsv, reportXlsx } from "~/utils/tables.server";
import { closeGroupOrderEarly, createGroupOrder, extendGroupOrder, markGroupOrderDelivered } from "~/domain/group-orders/commands.server";
import { closeLapsedGroupOrders, getGroupOrderForOrganizer } from "~/domain/group-orders/access.server";
import { groupOrderDashboard, listGroupOrdersForOrganizer, skuTotalsFor } from "~/domain/group-orders/queries.server";
import { pickupListTable, skuTotalsTable } from "~/domain/group-orders/exports.server";
import { confirmOrderPayment } from "~/domain/ledger/ledger.server";
import { listGroupOrderNotifications, writeGroupOrderNotifications, type GroupOrderNotificationJob } from "~/domain/notifications.server";
import { failedJobs, retryFailedJob } from "~/jobs/failed.server";
import { workDueJobs } from "~/jobs/queue.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createLot, createShop, lotState } from "../fixtures";
import { cancelNow, createUserWithRoles, problemsOf, groupOrderInput, joinGroupOrder, openGroupOrder } from "./helpers";

type Shop = Awaited<ReturnType<typeof createShop>>;
let shop: Shop;
const DAY = 24 * 60 * 60 * 1000;

beforeEach(async () => {
  await truncateAllTables();
  shop = await createShop();
});

describe("creating a group order", () => {
  it("creates it for the organizer's unit, with limits and payment modes", async () => {
    const organizer = await createUserWithRoles(shop.unit.id, ["employee", "organizer"]);
    const { id } = await createGroupOrder(organizer, groupOrderInput(shop, { paymentModes: "unit_settlement" }));
    const group = await getGroupOrderForOrganizer(organizer, id);
    expect(group).toMatchObject({
      title: "桃子团购",
      state: "open",
      allowCard: false,
      allowUnitSettlement: true,
      organizerId: organizer.id,
    });
    expect(group.items).toEqual([expect.objectContaining({ perPersonLimit: 4 })]);
    expect(group.units.map((u) => u.unit.id)).toEqual([shop.unit.id]);
    expect(await db.auditLog.count({ where: { action: "group_order.create", entityId: id } })).toBe(1);
  });

  it("refuses a bad schedule and writes nothing", async () => {
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const now = Date.now();
    const closesBeforeOpens = groupOrderInput(shop, { opensAt: new Date(now + DAY), closesAt: new Date(now + DAY / 2) });
    expect(await problemsOf(createGroupOrder(organizer, closesBeforeOpens))).toContain("closesBeforeOpens");
    const deliveryTooEarly = groupOrderInput(shop, {
      closesAt: new Date(now + 5 * DAY),
      deliveryDate: new Date(new Date(now + 2 * DAY).toISOString().slice(0, 10)),
    });
    expect(await problemsOf(createGroupOrder(organizer, deliveryTooEarly))).toEqual(["deliveryBeforeClose"]);
    expect(await db.groupOrder.count()).toBe(0);
  });

  it("refuses units the organizer does not belong to, unless an admin invites them", async () => {
    const other = await db.unit.create({ data: { code: "U-OTHER", name: "财务处", nameEn: "Finance" } });
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    expect(await problemsOf(createGroupOrder(organizer, groupOrderInput(shop, { unitIds: [other.id] })))).toEqual(["unitNotAllowed"]);
    expect(await problemsOf(createGroupOrder(organizer, groupOrderInput(shop, { unitIds: [shop.unit.id, other.id] })))).toEqual([
      "unitNotAllowed",
    ]);
    const admin = await createUserWithRoles(null, ["admin"]);
    const { id } = await createGroupOrder(admin, groupOrderInput(shop, { unitIds: [shop.unit.id, other.id] }));
    expect(await db.groupOrderUnit.count({ where: { groupOrderId: id } })).toBe(2);
  });

  it("refuses an empty or unknown product list", async () => {
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    expect(await problemsOf(createGroupOrder(organizer, groupOrderInput(shop, { items: [] })))).toEqual(["noItems"]);
    expect(
      await problemsOf(createGroupOrder(organizer, groupOrderInput(shop, { items: [{ skuId: "nope", perPersonLimit: null }] }))),
    ).toEqual(["unknownSku"]);
  });
});

describe("access", () => {
  it("answers 403 to an organizer of another unit, reading or changing, and 404 to an unknown id", async () => {
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const other = await db.unit.create({ data: { code: "U-OTHER", name: "财务处", nameEn: "Finance" } });
    const stranger = await createUserWithRoles(other.id, ["organizer"]);
    await expect(getGroupOrderForOrganizer(stranger, id)).rejects.toMatchObject({ status: 403 });
    await expect(closeGroupOrderEarly(stranger, id)).rejects.toMatchObject({ status: 403 });
    await expect(startCancellation(stranger, id)).rejects.toMatchObject({ status: 403 });
    await expect(getGroupOrderForOrganizer(stranger, "missing")).rejects.toMatchObject({ status: 404 });
    expect(await listGroupOrdersForOrganizer(stranger)).toEqual([]);
    expect((await db.groupOrder.findUniqueOrThrow({ where: { id } })).status).toBe("open");
  });

  it("lets a fellow organizer of the unit and an admin in", async () => {
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const colleague = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const admin = await createUserWithRoles(null, ["admin"]);
    expect((await getGroupOrderForOrganizer(colleague, id)).id).toBe(id);
    expect((await getGroupOrderForOrganizer(admin, id)).id).toBe(id);
    expect((await listGroupOrdersForOrganizer(colleague)).map((g) => g.id)).toEqual([id]);
  });
});

describe("the window", () => {
  it("closes by the clock: the stored status catches up when touched, and buyers are told once", async () => {
    await createLot(shop, 20);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const buyer = await createEmployee(shop.unit.id);
    await joinGroupOrder(shop, id, buyer.id, 2);
    const later = new Date(Date.now() + 2 * DAY);
    const [a, b] = await Promise.all([closeLapsedGroupOrders(later), getGroupOrderForOrganizer(organizer, id, later)]);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b.state).toBe("closed");
    const stored = await db.groupOrder.findUniqueOrThrow({ where: { id } });
    expect(stored.status).toBe("closed");
    expect(stored.closedAt).toEqual(stored.closesAt);
    // The notifications are written by a job that the close queued; working it twice writes nothing more.
    expect(await listGroupOrderNotifications(buyer.id)).toHaveLength(0);
    await workDueJobs();
    const job = await db.$queryRawUnsafe<{ data: GroupOrderNotificationJob }[]>(
      `SELECT data FROM pgboss.job WHERE name = 'notifications.group-order'`,
    );
    expect(job).toHaveLength(1);
    await writeGroupOrderNotifications(job[0]!.data);
    const notes = await listGroupOrderNotifications(buyer.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "group_order.closed", payload: { groupOrderId: id, title: "桃子团购" } });
  });

  it("closes early, and extends only while open and only to a later time", async () => {
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const group = await db.groupOrder.findUniqueOrThrow({ where: { id } });
    expect(await problemsOf(extendGroupOrder(organizer, id, new Date(group.closesAt.getTime() - 60_000)))).toEqual(["notAllowedNow"]);
    // Past the delivery date: refused.
    expect(await problemsOf(extendGroupOrder(organizer, id, new Date(Date.now() + 10 * DAY)))).toEqual(["deliveryBeforeClose"]);
    const later = new Date(group.closesAt.getTime() + 60 * 60_000);
    await extendGroupOrder(organizer, id, later);
    expect((await db.groupOrder.findUniqueOrThrow({ where: { id } })).closesAt).toEqual(later);
    await closeGroupOrderEarly(organizer, id);
    const closed = await getGroupOrderForOrganizer(organizer, id);
    expect(closed.state).toBe("closed");
    expect(await problemsOf(closeGroupOrderEarly(organizer, id))).toEqual(["notAllowedNow"]);
    expect(await problemsOf(extendGroupOrder(organizer, id, new Date(Date.now() + DAY)))).toEqual(["notAllowedNow"]);
    await markGroupOrderDelivered(organizer, id);
    expect((await getGroupOrderForOrganizer(organizer, id)).state).toBe("delivered");
  });
});

describe("cancelling", () => {
  it("cancels unpaid orders, gives their stock back and tells their buyers", async () => {
    const lot = await createLot(shop, 20);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const buyers = [await createEmployee(shop.unit.id), await createEmployee(shop.unit.id)];
    await joinGroupOrder(shop, id, buyers[0]!.id, 3);
    await joinGroupOrder(shop, id, buyers[1]!.id, 2, "card");
    expect((await lotState(lot.id)).quantityAllocated).toBe(5);
    expect(await cancelNow(organizer, id)).toMatchObject({ status: "done", done: 2, total: 2, outcome: { refunded: 0, cancelled: 2 } });
    expect((await lotState(lot.id)).quantityAllocated).toBe(0);
    expect(await db.order.count({ where: { groupOrderId: id, status: "cancelled" } })).toBe(2);
    expect((await db.groupOrder.findUniqueOrThrow({ where: { id } })).status).toBe("cancelled");
    for (const buyer of buyers) expect((await listGroupOrderNotifications(buyer.id)).map((n) => n.kind)).toEqual(["group_order.cancelled"]);
    expect(await problemsOf(startCancellation(organizer, id))).toEqual(["notAllowedNow"]);
  });

  it("refunds paid orders through the refund path, reversing their credits exactly, then cancels the rest", async () => {
    const lot = await createLot(shop, 20);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const paid = await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 3);
    await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 2);
    const payment = await db.payment.create({
      data: { orderId: paid.id, method: "unit_settlement", status: "succeeded", amountFen: 3 * 8800 },
    });
    await db.$transaction((tx) => confirmOrderPayment(tx, paid.id, payment.id, new Date()));
    expect((await db.ledgerEntry.aggregate({ _sum: { amountFen: true } }))._sum.amountFen).toBe(3 * 8800);

    expect(await cancelNow(organizer, id)).toMatchObject({ status: "done", done: 2, outcome: { refunded: 1, cancelled: 1 } });
    expect(await db.order.findUniqueOrThrow({ where: { id: paid.id } })).toMatchObject({ status: "refunded" });
    expect(await db.order.count({ where: { groupOrderId: id, status: "cancelled" } })).toBe(1);
    expect((await db.ledgerEntry.aggregate({ _sum: { amountFen: true } }))._sum.amountFen).toBe(0);
    expect(await db.refund.count()).toBe(1);
    expect((await lotState(lot.id)).quantityAllocated).toBe(0);
    expect((await db.groupOrder.findUniqueOrThrow({ where: { id } })).status).toBe("cancelled");
  });

  it("cancels nothing while a refund cannot be made: the job is retried, then fails where the admin sees it", async () => {
    const lot = await createLot(shop, 20);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const paid = await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 1, "card");
    await joinGroupOrder(shop, id, (await createEmployee(shop.unit.id)).id, 2);
    // Credited without any payment record: there is nothing a refund could be made against.
    await db.$transaction((tx) => confirmOrderPayment(tx, paid.id, null, new Date()));
    const task = await cancelNow(organizer, id);
    expect(task).toMatchObject({ status: "failed", done: 0 });
    expect(task.error).toMatch(/1 refund\(s\) refused/);
    expect((await lotState(lot.id)).quantityAllocated).toBe(3);
    expect(await db.order.count({ where: { status: "cancelled" } })).toBe(0);
    expect(await db.notification.count()).toBe(0);
    expect(await db.refund.count()).toBe(0);

    // Tried five times (the first run and four retries), then listed for the admin with the error it ended on.
    const [failed] = await failedJobs();
    expect(failed).toMatchObject({ name: "group-order.bulk", attempts: 5, data: { taskId: task.id } });
    expect(failed!.error).toMatch(/1 refund\(s\) refused/);
    // Once what blocked it is fixed (here: the payment the refund goes against is recorded), the admin's retry finishes it.
    await db.payment.create({ data: { orderId: paid.id, method: "unit_settlement", status: "succeeded", amountFen: 8800 } });
    await retryFailedJob(failed!.name, failed!.id);
    await workDueJobs();
    expect(await db.bulkTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      status: "done",
      error: null,
      outcome: { refunded: 1, cancelled: 1 },
    });
    expect(await failedJobs()).toEqual([]);
    await expect(retryFailedJob(failed!.name, failed!.id)).rejects.toMatchObject({ status: 404 });
    expect((await db.groupOrder.findUniqueOrThrow({ where: { id } })).status).toBe("cancelled");
  });
});

describe("dashboard and exports", () => {
  it("counts participants and quantities, searches and pages", async () => {
    await createLot(shop, 100);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    for (let i = 0; i < 25; i++) {
      const buyer = await db.user.update({
        where: { id: (await createEmployee(shop.unit.id)).id },
        data: { name: `买家${String(i).padStart(2, "0")}` },
      });
      await joinGroupOrder(shop, id, buyer.id, (i % 3) + 1);
    }
    const page1 = await groupOrderDashboard(id, { q: "", page: 1 });
    expect(page1).toMatchObject({ count: 25, pages: 2, participants: 25 });
    expect(page1.orders).toHaveLength(20);
    expect((await groupOrderDashboard(id, { q: "", page: 2 })).orders).toHaveLength(5);
    const found = await groupOrderDashboard(id, { q: "买家07", page: 1 });
    expect(found.orders.map((o) => o.user.name)).toEqual(["买家07"]);
    const [totals] = await skuTotalsFor(id);
    // 9 buyers × 1 + 8 × 2 + 8 × 3
    expect(totals).toMatchObject({ skuId: shop.sku.id, quantity: 49, totalFen: 49 * 8800, paidQuantity: 0 });
  });

  it("exports the pickup list as CSV that reads back to the same rows", async () => {
    await createLot(shop, 20);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const alice = await db.user.update({ where: { id: (await createEmployee(shop.unit.id)).id }, data: { name: '=cmd|"/c calc"' } });
    const bob = await db.user.update({ where: { id: (await createEmployee(shop.unit.id)).id }, data: { name: "王，小明" } });
    const paid = await joinGroupOrder(shop, id, alice.id, 2, "card");
    await joinGroupOrder(shop, id, bob.id, 1);
    await db.$transaction((tx) => confirmOrderPayment(tx, paid.id, null, new Date()));
    const csv = reportCsv(await pickupListTable(id, "zh"));
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const parsed = parseCsv(csv.slice(1));
    expect(parsed[0]).toEqual(["订单号", "购买人", "单位", "商品", "金额", "已付款", "已取货"]);
    expect(parsed.slice(1)).toEqual(
      expect.arrayContaining([
        [paid.number, `'=cmd|"/c calc"`, "局机关", "无公害桃 5公斤 × 2", "176.00", "是", ""],
        [expect.any(String), "王，小明", "局机关", "无公害桃 5公斤 × 1", "88.00", "否", ""],
      ]),
    );
    expect(parsed).toHaveLength(3);
    expect(parseCsv(reportCsv(await skuTotalsTable(id, "en")).slice(1))).toEqual([
      ["Items", "Quantity", "of which paid", "Amount"],
      ["Peaches 5 kg", "3", "2", "264.00"],
    ]);
  });

  it("exports the pickup list and totals as XLSX that Excel reads back with the Chinese text and amounts intact", async () => {
    await createLot(shop, 20);
    const organizer = await createUserWithRoles(shop.unit.id, ["organizer"]);
    const { id } = await openGroupOrder(shop, organizer);
    const buyer = await db.user.update({ where: { id: (await createEmployee(shop.unit.id)).id }, data: { name: "李小雨" } });
    const paid = await joinGroupOrder(shop, id, buyer.id, 3, "card");
    await db.$transaction((tx) => confirmOrderPayment(tx, paid.id, null, new Date()));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsxBytes(reportXlsx(await pickupListTable(id, "zh"))));
    const sheet = workbook.getWorksheet("自提清单")!;
    const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
    expect(values(1)).toEqual(["订单号", "购买人", "单位", "商品", "金额", "已付款", "已取货"]);
    expect(values(2)).toEqual([paid.number, "李小雨", "局机关", "无公害桃 5公斤 × 3", 264, "是", ""]);
    expect(sheet.getColumn(5).numFmt).toBe("0.00");
    expect(sheet.rowCount).toBe(2);
    await workbook.xlsx.load(await xlsxBytes(reportXlsx(await skuTotalsTable(id, "zh"))));
    expect((workbook.worksheets[0]!.getRow(2).values as unknown[]).slice(1)).toEqual(["无公害桃 5公斤", 3, 3, 264]);
  });
});

/** exceljs's own Buffer type predates Node's generic Buffer. */
async function xlsxBytes(bytes: Promise<Buffer>) {
  return (await bytes) as unknown as ExcelJS.Buffer;
}

/** A strict reader for the CSV the export writes: every field quoted, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    expect(text[i]).toBe('"');
    let value = "";
    i++;
    for (;;) {
      if (text[i] === '"' && text[i + 1] === '"') {
        value += '"';
        i += 2;
      } else if (text[i] === '"') {
        i++;
        break;
      } else value += text[i++];
    }
    row.push(value);
    if (text[i] === ",") i++;
    else {
      expect(text.slice(i, i + 2)).toBe("\r\n");
      i += 2;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}
