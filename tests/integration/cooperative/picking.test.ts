import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { demandBySku, pickingList } from "~/domain/cooperative/fulfilment.server";
import { startFulfilment } from "~/domain/group-orders/bulk.server";
import { workDueJobs } from "~/jobs/queue.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createGroupOrder, createLot, createShop, deliveryOrderInput, placePaidOrder } from "../fixtures";
import { createCoopUser } from "./fixtures";

beforeEach(async () => {
  await truncateAllTables();
});

describe("picking lists", () => {
  it("lists per household what to pick for a closed group order, without refunded units, and packs the whole group", async () => {
    const shop = await createShop();
    const first = await createLot(shop, 4, 5);
    const second = await createLot(shop, 20, 6);
    const organizer = await createEmployee(shop.unit.id);
    const group = await createGroupOrder(shop, organizer.id);
    const coop = await createCoopUser(shop.village.id);
    const orders = [];
    for (const quantity of [3, 5]) {
      const buyer = await createEmployee(shop.unit.id);
      orders.push(
        await placePaidOrder(
          deliveryOrderInput(shop, buyer.id, quantity, {
            paymentMethod: "unit_settlement",
            fulfilment: { kind: "group_pickup", groupOrderId: group.id },
          }),
        ),
      );
    }
    await expect(pickingList(coop, { groupOrderId: group.id })).rejects.toMatchObject({
      code: "cooperative.errors.groupStillOpen",
      status: 409,
    });
    await db.groupOrder.update({ where: { id: group.id }, data: { status: "closed", closedAt: new Date() } });

    const [firstCode, secondCode] = await Promise.all(
      [first, second].map((lot) => db.household.findUniqueOrThrow({ where: { id: lot.householdId } }).then((h) => h.code)),
    );
    const list = await pickingList(coop, { groupOrderId: group.id });
    expect(list.map((h) => [h.householdCode, h.items.map((i) => `${i.quantity} × ${i.skuNameZh}, lot ${i.lotCode}`)])).toEqual(
      [
        [firstCode, [`4 × 5公斤, lot ${first.code}`]],
        [secondCode, [`4 × 5公斤, lot ${second.code}`]],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    // A refunded unit (the last allocated: the second lot) is not picked.
    await db.payment.create({
      data: { orderId: orders[1]!.id, method: "unit_settlement", status: "succeeded", amountFen: orders[1]!.totalFen },
    });
    const line = await db.orderLine.findFirstOrThrow({ where: { orderId: orders[1]!.id } });
    await refundOrder({
      orderId: orders[1]!.id,
      actorId: coop.id,
      villageId: coop.villageId,
      idempotencyKey: randomUUID(),
      reason: "退一件",
      lines: [{ orderLineId: line.id, quantity: 1 }],
    });
    expect(demandBySku(list)).toEqual([expect.objectContaining({ skuCode: shop.sku.code, quantity: 8 })]);
    const after = await pickingList(coop, { groupOrderId: group.id });
    expect(after.find((h) => h.householdCode === secondCode)!.items[0]!.quantity).toBe(3);
    expect(demandBySku(after)).toEqual([expect.objectContaining({ skuCode: shop.sku.code, quantity: 7 })]);

    const packing = await startFulfilment(coop, group.id, "packed");
    expect(packing.orders).toBe(2);
    await workDueJobs();
    expect(await db.bulkTask.findUniqueOrThrow({ where: { id: packing.taskId } })).toMatchObject({
      status: "done",
      done: 2,
      outcome: { moved: 2 },
    });
    expect(await db.auditLog.count({ where: { action: "order.packed" } })).toBe(2);
    const again = await startFulfilment(coop, group.id, "packed");
    await workDueJobs();
    expect(await db.bulkTask.findUniqueOrThrow({ where: { id: again.taskId } })).toMatchObject({
      status: "done",
      total: 0,
      outcome: { moved: 0 },
    });
    expect(await db.order.count({ where: { groupOrderId: group.id, fulfilmentStatus: "packed" } })).toBe(2);

    const outsider = await createCoopUser((await createShop()).village.id);
    await expect(pickingList(outsider, { groupOrderId: group.id })).rejects.toMatchObject({ status: 403 });
    await expect(startFulfilment(outsider, group.id, "shipped")).rejects.toMatchObject({ status: 403 });
  });

  it("lists the paid delivery orders not yet packed", async () => {
    const shop = await createShop();
    const lot = await createLot(shop, 10);
    const buyer = await createEmployee(shop.unit.id);
    const coop = await createCoopUser(shop.village.id);
    await placePaidOrder(deliveryOrderInput(shop, buyer.id, 2));
    const packed = await placePaidOrder(deliveryOrderInput(shop, buyer.id, 1));
    await db.order.update({ where: { id: packed.id }, data: { fulfilmentStatus: "packed" } });
    const list = await pickingList(coop, { delivery: true });
    expect(list).toHaveLength(1);
    expect(list[0]!.items).toEqual([expect.objectContaining({ lotCode: lot.code, quantity: 2 })]);
  });
});
