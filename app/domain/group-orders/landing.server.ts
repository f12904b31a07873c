// The page a group order's poster QR code opens (/g/<id>): what the poster says, to anyone who scans it, and what the
// reader can do next — sign in, choose produce, or, when this one is closed or not for their unit, the unit's open
// group orders. Read-only: nothing here writes, so the effective state comes from the clock (state.ts).
import { db } from "~/db/client.server";
import { notFound } from "~/domain/errors";
import { groupOrderProducers } from "./producers.server";
import { effectiveState } from "./state";

export type LandingAccess = "signed_out" | "invited" | "not_invited";

export async function groupOrderLanding(id: string, viewer: { unitId: string | null } | null, now = new Date()) {
  const found = await db.groupOrder.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      status: true,
      opensAt: true,
      closesAt: true,
      closedAt: true,
      pickupPoint: true,
      deliveryDate: true,
      units: { select: { unit: { select: { id: true, name: true, nameEn: true } } } },
      items: {
        orderBy: { sku: { code: "asc" } },
        select: {
          perPersonLimit: true,
          sku: {
            select: {
              id: true,
              nameZh: true,
              nameEn: true,
              priceFen: true,
              product: { select: { nameZh: true, nameEn: true, slug: true } },
            },
          },
        },
      },
    },
  });
  // A draft was never announced.
  if (!found || found.status === "draft") throw notFound();
  const { status, ...group } = found;
  const state = effectiveState({ status, opensAt: group.opensAt, closesAt: group.closesAt }, now);
  const unitIds = group.units.map(({ unit }) => unit.id);
  const access: LandingAccess =
    viewer === null ? "signed_out" : viewer.unitId && unitIds.includes(viewer.unitId) ? "invited" : "not_invited";
  const joinable = state === "open" && access !== "not_invited";
  const [producers, next] = await Promise.all([
    groupOrderProducers(group.id, now),
    joinable
      ? []
      : db.groupOrder.findMany({
          where: {
            id: { not: group.id },
            status: "open",
            opensAt: { lte: now },
            closesAt: { gt: now },
            units: { some: { unitId: { in: viewer?.unitId ? [viewer.unitId] : unitIds } } },
          },
          orderBy: { closesAt: "asc" },
          take: 3,
          select: { id: true, title: true, closesAt: true },
        }),
  ]);
  return { group: { ...group, state }, access, producers, next };
}
