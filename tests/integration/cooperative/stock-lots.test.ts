import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { placeOrder } from "~/domain/shop/checkout.server";
import { listLots, receiveLot, searchProducers, writeOffLot } from "~/domain/cooperative/lots.server";
import { ReceiveLotSchema } from "~/domain/cooperative/schemas";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee, createHousehold, createShop, deliveryOrderInput, lotState } from "../fixtures";
import { createCoopUser, paidOrder } from "./fixtures";

beforeEach(async () => {
  await truncateAllTables();
});

const form = (fields: Record<string, string>) => ReceiveLotSchema.safeParse({ intent: "receive", ...fields });

describe("receiving a lot", () => {
  it("validates the form: whole positive quantities, best-before not before received", () => {
    const valid = {
      skuId: "s",
      householdId: "h",
      quantity: "12",
      producedOn: "2026-07-11",
      receivedOn: "2026-07-12",
      bestBefore: "2026-07-19",
      idempotencyKey: randomUUID(),
    };
    expect(form(valid).success).toBe(true);
    const messages = (fields: Record<string, string>) =>
      form({ ...valid, ...fields }).error?.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages({ quantity: "-3" })).toEqual(["quantity:cooperative.errors.quantity"]);
    expect(messages({ quantity: "2.5" })).toEqual(["quantity:cooperative.errors.quantity"]);
    expect(messages({ quantity: "0" })).toEqual(["quantity:cooperative.errors.quantity"]);
    expect(messages({ bestBefore: "2026-07-11" })).toEqual(["bestBefore:cooperative.errors.bestBeforeBeforeReceived"]);
    expect(messages({ receivedOn: "not a date" })).toEqual(["receivedOn:cooperative.errors.date"]);
  });

  it("records a lot of the coop's SKU from a household of its village, and lists it", async () => {
    const shop = await createShop();
    const household = await createHousehold(shop.village.id);
    await db.household.update({ where: { id: household.id }, data: { displayName: "李大姐家", consentToDisplay: true } });
    const coop = await createCoopUser(shop.village.id);
    expect(await searchProducers(coop, "李大")).toEqual([{ id: household.id, code: household.code, displayName: "李大姐家" }]);
    expect(await searchProducers(coop, household.code.slice(0, 6))).toHaveLength(1);

    const input = form({
      skuId: shop.sku.id,
      householdId: household.id,
      quantity: "12",
      producedOn: "2026-07-11",
      receivedOn: "2026-07-12",
      bestBefore: "2026-07-19",
      idempotencyKey: randomUUID(),
    });
    if (!input.success) throw input.error;
    const received = await receiveLot(coop, input.data);
    expect(received.lot.code).toMatch(/^L-0712-/);
    const { lots, total } = await listLots(coop);
    expect(total).toBe(1);
    expect(lots[0]).toMatchObject({
      householdCode: household.code,
      householdDisplayName: "李大姐家",
      quantityReceived: 12,
      remaining: 12,
      reserved: 0,
      sold: 0,
    });
    // Producers only: nothing of the household file.
    expect(Object.keys(lots[0]!)).not.toContain("headName");

    const other = await createShop();
    const foreignHousehold = await createHousehold(other.village.id);
    await expect(receiveLot(coop, { ...input.data, householdId: foreignHousehold.id, idempotencyKey: randomUUID() })).rejects.toMatchObject(
      {
        status: 422,
        refusals: [{ code: "cooperative.errors.household", field: "householdId" }],
      },
    );
    await expect(receiveLot(coop, { ...input.data, skuId: other.sku.id, idempotencyKey: randomUUID() })).rejects.toMatchObject({
      status: 422,
      refusals: [{ code: "cooperative.errors.sku", field: "skuId" }],
    });
  });

  it("records a resubmitted form once, even when both arrive at the same moment", async () => {
    const shop = await createShop();
    const household = await createHousehold(shop.village.id);
    const coop = await createCoopUser(shop.village.id);
    const input = form({
      skuId: shop.sku.id,
      householdId: household.id,
      quantity: "5",
      producedOn: "2026-07-11",
      receivedOn: "2026-07-12",
      bestBefore: "2026-07-19",
      idempotencyKey: randomUUID(),
    });
    if (!input.success) throw input.error;
    const [a, b] = await Promise.all([receiveLot(coop, input.data), receiveLot(coop, input.data)]);
    const again = await receiveLot(coop, input.data);
    expect(new Set([a, b, again].map((r) => r.lot.id)).size).toBe(1);
    expect(again).toMatchObject({ replayed: true });
    expect(await db.stockLot.count()).toBe(1);
    // Another cooperative user's identical key is theirs alone.
    expect(await receiveLot(await createCoopUser(shop.village.id), input.data)).toMatchObject({ replayed: false });
    expect(await db.stockLot.count()).toBe(2);
  });
});

describe("writing a lot off", () => {
  it("never writes off what is reserved or sold, and lists reserved and sold apart", async () => {
    const placed = await paidOrder(3, [10]); // 3 sold
    const lot = placed.lots[0]!;
    const buyer = await createEmployee(placed.shop.unit.id);
    const pending = await placeOrder(deliveryOrderInput(placed.shop, buyer.id, 2)); // 2 reserved
    expect(pending.replayed).toBe(false);
    const { lots } = await listLots(placed.coop);
    expect(lots[0]).toMatchObject({ remaining: 5, reserved: 2, sold: 3 });

    const writeOff = (quantity: number, idempotencyKey = randomUUID()) =>
      writeOffLot(placed.coop, { lotId: lot.id, quantity, reason: "冰雹", idempotencyKey });
    await expect(writeOff(6)).rejects.toMatchObject({ code: "cooperative.errors.writeOffTooMany", status: 409 });
    const key = randomUUID();
    expect(await writeOff(4, key)).toMatchObject({ availableAfter: 1, replayed: false });
    await expect(writeOff(2)).rejects.toMatchObject({ refusals: [{ field: "quantity", params: { count: 1 } }] });
    expect(await lotState(lot.id)).toEqual({ quantityReceived: 10, quantityAllocated: 5, quantityWrittenOff: 4 });
    expect(await db.stockWriteOff.count()).toBe(1);

    const other = await createShop();
    const outsider = await createCoopUser(other.village.id);
    await expect(writeOffLot(outsider, { lotId: lot.id, quantity: 1, reason: "x", idempotencyKey: randomUUID() })).rejects.toMatchObject({
      status: 403,
    });
  });

  it("writes a resubmitted write-off once, even when both arrive at the same moment", async () => {
    const placed = await paidOrder(1, [10]);
    const lot = placed.lots[0]!;
    const idempotencyKey = randomUUID();
    const writeOff = () => writeOffLot(placed.coop, { lotId: lot.id, quantity: 3, reason: "冰雹", idempotencyKey });
    const answers = await Promise.all([writeOff(), writeOff()]);
    expect(answers.map((a) => a.replayed).sort()).toEqual([false, true]);
    expect(await writeOff()).toMatchObject({ replayed: true });
    expect(await lotState(lot.id)).toMatchObject({ quantityWrittenOff: 3 });
    expect(await db.stockWriteOff.count()).toBe(1);
  });
});
