// What every cooperative operation checks first: a coop user serves one village (User.villageId), and may act only
// on that village's cooperative, its households, lots and the orders of its products. A coop user of another
// village — or one with no village — is refused here, in the domain, so no route can forget it: 403 for what
// belongs to another village, 404 for what is not there.
import type { Prisma } from "~/db/client.server";
import { db } from "~/db/client.server";
import { forbidden, notFound } from "~/domain/errors";
import { pageCount, pageRows } from "~/domain/pages";
import type { CoopOrderStatus } from "./schemas";

type Client = Prisma.TransactionClient | typeof db;

/** The cooperative of the coop user's village; refused when the user serves no village or it has no cooperative. */
export async function cooperativeForVillage(client: Client, villageId: string | null) {
  if (!villageId) throw forbidden("cooperative.errors.noVillage");
  const cooperative = await client.cooperative.findUnique({
    where: { villageId },
    select: { id: true, villageId: true, defaultFeeRateBp: true },
  });
  if (!cooperative) throw forbidden("cooperative.errors.noCooperative");
  return cooperative;
}

/** The refusal for a record of another village's cooperative. */
export const otherVillage = () => forbidden("cooperative.errors.otherVillage");

/** The refusal for a record that is not there (or no longer). */
export const missing = () => notFound("cooperative.errors.notFound");

/** Refuses unless every line of the order sells a product of this village's cooperative. */
export async function assertOrderOfVillage(client: Client, orderId: string, villageId: string | null) {
  const cooperative = await cooperativeForVillage(client, villageId);
  const lines = await client.orderLine.findMany({
    where: { orderId },
    select: { sku: { select: { product: { select: { cooperativeId: true } } } } },
  });
  if (lines.length === 0) throw missing();
  if (lines.some((l) => l.sku.product.cooperativeId !== cooperative.id)) throw otherVillage();
  return cooperative;
}

/** Refuses unless the household lives in the coop user's village. */
export async function assertHouseholdOfVillage(client: Client, householdId: string, villageId: string | null) {
  const cooperative = await cooperativeForVillage(client, villageId);
  const household = await client.household.findUnique({ where: { id: householdId }, select: { villageId: true } });
  if (!household) throw missing();
  if (household.villageId !== cooperative.villageId) throw otherVillage();
  return cooperative;
}

type Actor = { id: string; villageId: string | null };

/** Orders of the coop's products, newest first. Buyers' names are not shown here; the order number is enough. */
export async function listCoopOrders(
  actor: Actor,
  { status, page = 1, pageSize = 25 }: { status?: CoopOrderStatus; page?: number; pageSize?: number },
) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const where = { lines: { some: { sku: { product: { cooperativeId: cooperative.id } } } }, ...(status ? { status } : {}) };
  const [orders, total] = await Promise.all([
    db.order.findMany({
      where,
      orderBy: { createdAt: "desc" },
      ...pageRows(page, pageSize),
      select: {
        id: true,
        number: true,
        status: true,
        fulfilmentStatus: true,
        fulfilment: true,
        totalFen: true,
        createdAt: true,
      },
    }),
    db.order.count({ where }),
  ]);
  return { orders, total, page, pages: pageCount(total, pageSize) };
}

/**
 * One order as the cooperative handles it: lines, and which lots and households fill them. The recipient's name,
 * phone and address are shown only for home delivery, which the cooperative has to ship.
 */
export async function coopOrderDetail(actor: Actor, orderId: string) {
  await assertOrderOfVillage(db, orderId, actor.villageId);
  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      id: true,
      number: true,
      status: true,
      fulfilment: true,
      fulfilmentStatus: true,
      paymentMethod: true,
      deliveryFeeFen: true,
      totalFen: true,
      recipientName: true,
      recipientPhone: true,
      address: true,
      createdAt: true,
      groupOrder: { select: { title: true, pickupPoint: true, deliveryDate: true } },
      lines: {
        orderBy: { id: "asc" },
        select: {
          id: true,
          quantity: true,
          refundedQuantity: true,
          lineTotalFen: true,
          sku: { select: { code: true, nameZh: true, nameEn: true, product: { select: { nameZh: true, nameEn: true } } } },
          allocations: {
            where: { releasedAt: null },
            orderBy: { createdAt: "asc" },
            select: {
              id: true,
              quantity: true,
              refundedQuantity: true,
              lot: { select: { code: true, household: { select: { code: true } } } },
            },
          },
        },
      },
      refunds: { orderBy: { createdAt: "asc" }, select: { id: true, amountFen: true, reason: true, createdAt: true } },
    },
  });
  const delivery = order.fulfilment === "delivery";
  return {
    ...order,
    recipientName: delivery ? order.recipientName : null,
    recipientPhone: delivery ? order.recipientPhone : null,
    address: delivery ? order.address : null,
  };
}

/** Producing households of the village with their ledger balance (what can be paid out), as producers only. */
export async function producersWithBalance(actor: Actor, { q = "", page = 1, pageSize = 25 } = {}) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const pattern = `%${q.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  const { skip, take } = pageRows(page, pageSize);
  const [rows, [count]] = await Promise.all([
    db.$queryRaw<{ id: string; code: string; displayName: string | null; balanceFen: number }[]>`
      SELECT h."id", h."code", h."displayName",
        COALESCE((SELECT SUM(e."amountFen") FROM "LedgerEntry" e WHERE e."householdId" = h."id"), 0)::int AS "balanceFen"
      FROM "Household" h
      WHERE h."villageId" = ${cooperative.villageId} AND (h."code" ILIKE ${pattern} OR COALESCE(h."displayName", '') ILIKE ${pattern})
      ORDER BY h."code" LIMIT ${take} OFFSET ${skip}`,
    db.$queryRaw<{ total: number }[]>`
      SELECT COUNT(*)::int AS "total" FROM "Household" h
      WHERE h."villageId" = ${cooperative.villageId} AND (h."code" ILIKE ${pattern} OR COALESCE(h."displayName", '') ILIKE ${pattern})`,
  ]);
  const total = count?.total ?? 0;
  return { households: rows, total, page, pages: pageCount(total, pageSize) };
}

/** The figures the console opens with: the cooperative's lots and the households that delivered them. */
export async function coopOverview(actor: Actor) {
  const cooperative = await cooperativeForVillage(db, actor.villageId);
  const [lots, households] = await Promise.all([
    db.stockLot.count({ where: { sku: { product: { cooperativeId: cooperative.id } } } }),
    db.household.count({ where: { villageId: cooperative.villageId, lots: { some: {} } } }),
  ]);
  return { lots, households };
}
