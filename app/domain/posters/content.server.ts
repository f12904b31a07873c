// What a group order's poster shows, read for an organizer who may organize it (another unit's group order is
// refused as on its dashboard): title, units, products with their main photo, SKU and price, closing time, pickup,
// producers, and the URL its QR code opens (/g/<id>, the landing page for colleagues who scan it).
import { db } from "~/db/client.server";
import { getGroupOrderForOrganizer, type Organizer } from "~/domain/group-orders/access.server";
import { groupOrderProducers } from "~/domain/group-orders/producers.server";
import { isoDay } from "~/utils/dates";
import type { PosterContent } from "./poster-layout";

export function groupOrderLandingUrl(groupOrderId: string, appUrl: string) {
  return new URL(`/g/${groupOrderId}`, appUrl).toString();
}

export async function posterContent(user: Organizer, groupOrderId: string, appUrl: string, now = new Date()): Promise<PosterContent> {
  const group = await getGroupOrderForOrganizer(user, groupOrderId, now);
  const [items, producers] = await Promise.all([
    db.groupOrderItem.findMany({
      where: { groupOrderId: group.id },
      orderBy: [{ sku: { product: { nameZh: "asc" } } }, { sku: { code: "asc" } }],
      select: {
        sku: {
          select: {
            code: true,
            nameZh: true,
            nameEn: true,
            priceFen: true,
            product: {
              select: {
                nameZh: true,
                nameEn: true,
                images: { orderBy: [{ sortOrder: "asc" }, { id: "asc" }], take: 1, select: { path: true } },
              },
            },
          },
        },
      },
    }),
    groupOrderProducers(group.id, now),
  ]);
  return {
    groupOrderId: group.id,
    title: group.title,
    units: group.units.map(({ unit }) => ({ name: unit.name, nameEn: unit.nameEn })),
    items: items.map(({ sku }) => ({
      skuCode: sku.code,
      productZh: sku.product.nameZh,
      productEn: sku.product.nameEn,
      skuZh: sku.nameZh,
      skuEn: sku.nameEn,
      priceFen: sku.priceFen,
      photoPath: sku.product.images[0]?.path ?? null,
    })),
    closesAt: group.closesAt.toISOString(),
    pickupPoint: group.pickupPoint,
    deliveryDate: isoDay(group.deliveryDate),
    producers,
    url: groupOrderLandingUrl(group.id, appUrl),
  };
}
