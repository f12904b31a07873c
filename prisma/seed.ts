// Demo data: a fictional village, cooperative, ~300 household files, products, stock and bureau units, plus one login
// per role; seed-season.ts adds the year of group orders behind it. Every name here is invented.
import { hashPassword } from "~/auth/password.server";
import { db } from "~/db/client.server";
import type { Role } from "~/db/generated/client";
import { currentShopYear } from "~/utils/dates";
import { THRESHOLD_FEN, buildHouseholds, prng } from "./seed-households";
import { insertRows } from "./seed-rows";
import { seedSeason } from "./seed-season";

export const DEMO_PASSWORD = "anshang2026";

export const DEMO_LOGINS: { login: string; name: string; roles: Role[]; unitCode?: string }[] = [
  { login: "13800000001", name: "林小雨", roles: ["employee"], unitCode: "HQ" },
  { login: "13800000002", name: "周建国", roles: ["employee", "organizer"], unitCode: "HQ" },
  { login: "13800000003", name: "韩立新", roles: ["coop"] },
  { login: "13800000004", name: "程雪梅", roles: ["team"] },
  { login: "admin@anshang.example", name: "系统管理员", roles: ["admin"] },
  { login: "bureau@anshang.example", name: "局帮扶办", roles: ["bureau"] },
];

const UNITS = [
  { code: "HQ", name: "局机关", nameEn: "Bureau headquarters" },
  { code: "T1", name: "第一地质大队", nameEn: "First Geological Brigade" },
  { code: "T2", name: "第二地质大队", nameEn: "Second Geological Brigade" },
  { code: "T3", name: "第三地质大队", nameEn: "Third Geological Brigade" },
  { code: "HY", name: "水文地质大队", nameEn: "Hydrogeology Brigade" },
  { code: "GP", name: "物化探研究院", nameEn: "Geophysics Institute" },
  { code: "SM", name: "测绘院", nameEn: "Surveying Institute" },
  { code: "LAB", name: "实验测试中心", nameEn: "Testing Laboratory" },
];

const DAY = 24 * 60 * 60 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);
const dateOnly = (d: Date) => new Date(d.toISOString().slice(0, 10));

/** Seeds the demo data once; returns false (and writes nothing) when the village already exists. */
export async function seedDemoData(): Promise<boolean> {
  if ((await db.village.count()) > 0) return false;
  const random = prng(20_160_501);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let built: ReturnType<typeof buildHouseholds> | undefined;

  await db.$transaction(
    async (tx) => {
      const village = await tx.village.create({ data: { name: "岸上村", nameEn: "Anshang Village", county: "河北省邯郸市魏县" } });
      const coop = await tx.cooperative.create({
        data: { villageId: village.id, name: "岸上村果蔬专业合作社", nameEn: "Anshang Produce Cooperative", deliveryFeeFen: 1200 },
      });
      await tx.unit.createMany({ data: UNITS });
      const units = await tx.unit.findMany({ select: { id: true, code: true } });
      const unitByCode = new Map(units.map((u) => [u.code, u]));

      for (const login of DEMO_LOGINS) {
        const isEmail = login.login.includes("@");
        await tx.user.create({
          data: {
            name: login.name,
            phone: isEmail ? null : login.login,
            email: isEmail ? login.login : null,
            passwordHash,
            unitId: login.unitCode ? unitByCode.get(login.unitCode)!.id : null,
            villageId: login.roles.some((r) => r === "coop" || r === "team") ? village.id : null,
            roles: { create: login.roles.map((role) => ({ role })) },
          },
        });
      }

      built = buildHouseholds(village.id, currentShopYear(), random);
      await insertRows(
        tx,
        "Household",
        built.households.map((h) => h.row),
      );
      await insertRows(tx, "HouseholdMember", built.members);
      await insertRows(tx, "HouseholdIncome", built.incomes);
      const teamUser = await tx.user.findUniqueOrThrow({ where: { phone: DEMO_LOGINS[3]!.login }, select: { id: true } });
      await tx.riskFlag.createMany({
        data: built.riskFlags.map((flag) => ({ ...flag, createdById: teamUser.id, createdAt: daysFromNow(-40) })),
      });

      await tx.setting.createMany({
        data: [
          { villageId: village.id, key: "monitoring.perCapitaThresholdFen", value: THRESHOLD_FEN },
          { villageId: village.id, key: "monitoring.incomeDropShareBp", value: 2_000 },
          { villageId: village.id, key: "monitoring.noSalesDays", value: 90 },
        ],
      });

      const peach = await tx.product.create({
        data: {
          cooperativeId: coop.id,
          slug: "peaches",
          nameZh: "无公害桃",
          nameEn: "Pollution-free peaches",
          descriptionZh: "岸上村农户承包的桃园出产，施农家肥、不催熟，采摘后当天入冷库。",
          descriptionEn:
            "From orchards contracted by Anshang households: farmyard manure, no ripening agents, cold-stored the day they are picked.",
          feeRateBp: 800,
          // Picked July to September; in winter the cooperative takes orders for next summer's crop.
          seasonZh: "7–9月采摘，现接受明年预订",
          seasonEn: "Picked July–September; now taking orders for next summer",
          images: { create: [{ path: "/images/peaches.svg", altZh: "一箱无公害桃", altEn: "A box of peaches", width: 640, height: 480 }] },
          skus: {
            create: [
              {
                code: "PEACH-A-5KG",
                nameZh: "一级果 5公斤礼盒",
                nameEn: "Grade A, 5 kg gift box",
                priceFen: 8_800,
                weightGrams: 5_000,
                maxPerOrder: 10,
              },
              {
                code: "PEACH-B-5KG",
                nameZh: "二级果 5公斤箱",
                nameEn: "Grade B, 5 kg box",
                priceFen: 6_800,
                weightGrams: 5_000,
                maxPerOrder: 10,
              },
            ],
          },
        },
        include: { skus: true },
      });
      const noodles = await tx.product.create({
        data: {
          cooperativeId: coop.id,
          slug: "sweet-potato-noodles",
          nameZh: "手工粉条",
          nameEn: "Hand-made sweet-potato noodles",
          descriptionZh: "扶贫微工厂用本村红薯手工制作，不加明矾，久煮不烂。",
          descriptionEn: "Made by hand at the village micro-factory from local sweet potatoes, without alum; they stay firm in the pot.",
          feeRateBp: 1_000,
          seasonZh: "全年供应，冬季新粉上市",
          seasonEn: "All year; this winter's batch is in",
          images: { create: [{ path: "/images/noodles.svg", altZh: "一袋手工粉条", altEn: "A bag of noodles", width: 640, height: 480 }] },
          skus: {
            create: [
              { code: "NOODLE-2.5KG", nameZh: "2.5公斤袋装", nameEn: "2.5 kg bag", priceFen: 7_500, weightGrams: 2_500, maxPerOrder: 20 },
            ],
          },
        },
        include: { skus: true },
      });

      // The stock on hand today: next summer's peaches pre-sold from the households' contracted orchards (the
      // cooperative registers each household's share now, picking dates in July and August), and this winter's noodles.
      const nextSummer = currentShopYear() + 1;
      const peachGrowers = built.households.filter((h) => h.produce === "peach" && !h.stoppedSelling).slice(0, 24);
      const noodleMakers = built.households.filter((h) => h.produce === "noodle").slice(0, 16);
      const lots = [
        ...peachGrowers.map((household, index) => {
          const picked = new Date(Date.UTC(nextSummer, 6, 10 + ((index * 3) % 50)));
          return {
            sku: peach.skus[index % 2]!.id,
            household: household.row.id,
            quantity: 10 + Math.floor(random() * 30),
            picked,
            received: daysFromNow(-3 - (index % 10)),
            keeps: 7,
          };
        }),
        ...noodleMakers.map((household, index) => {
          const made = daysFromNow(-12 - index * 3);
          return {
            sku: noodles.skus[0]!.id,
            household: household.row.id,
            quantity: 20 + Math.floor(random() * 40),
            picked: made,
            received: daysFromNow(-10 - index * 3),
            keeps: 240,
          };
        }),
      ];
      await tx.stockLot.createMany({
        data: lots.map((lot, index) => ({
          code: `L-${dateOnly(lot.received).toISOString().slice(5, 10).replace("-", "")}-${(0xa00000 + index).toString(16).toUpperCase()}`,
          traceCode: `T${String(index + 1).padStart(4, "0")}${Math.floor(random() * 36 ** 4)
            .toString(36)
            .toUpperCase()
            .padStart(4, "0")}`,
          skuId: lot.sku,
          householdId: lot.household,
          quantityReceived: lot.quantity,
          producedOn: dateOnly(lot.picked),
          receivedOn: dateOnly(lot.received),
          bestBefore: dateOnly(new Date(lot.picked.getTime() + lot.keeps * DAY)),
        })),
      });

      const organizer = await tx.user.findUniqueOrThrow({ where: { phone: DEMO_LOGINS[1]!.login } });
      const shared = await tx.groupOrder.create({
        data: {
          cooperativeId: coop.id,
          organizerId: organizer.id,
          title: "局机关秋季助农团购",
          status: "open",
          opensAt: daysFromNow(-1),
          closesAt: daysFromNow(3),
          pickupPoint: "局机关大院东门传达室",
          // The peaches on offer are next summer's, pre-sold now: they are delivered after the first picking.
          deliveryDate: dateOnly(new Date(Date.UTC(nextSummer, 6, 20))),
          allowCard: true,
          allowUnitSettlement: true,
          units: { create: [{ unitId: unitByCode.get("HQ")!.id }, { unitId: unitByCode.get("T1")!.id }] },
          items: {
            create: [
              { skuId: peach.skus[0]!.id, perPersonLimit: 5 },
              { skuId: peach.skus[1]!.id, perPersonLimit: 5 },
            ],
          },
        },
      });
      await seedSharedGroupOrderUnits(tx, shared.id, unitByCode, passwordHash);
      // This winter's noodles, in a group order of their own that delivers within the fortnight.
      await tx.groupOrder.create({
        data: {
          cooperativeId: coop.id,
          organizerId: organizer.id,
          title: "局机关冬季红薯粉条团购",
          status: "open",
          opensAt: daysFromNow(-2),
          closesAt: daysFromNow(6),
          pickupPoint: "局机关大院东门传达室",
          deliveryDate: dateOnly(daysFromNow(9)),
          allowCard: true,
          allowUnitSettlement: true,
          units: { create: [{ unitId: unitByCode.get("HQ")!.id }, { unitId: unitByCode.get("T1")!.id }] },
          items: { create: [{ skuId: noodles.skus[0]!.id, perPersonLimit: 10 }] },
        },
      });
    },
    { timeout: 60_000 },
  );
  await seedSeason(random, built!.households);
  return true;
}

/** Organizers of other units than the opener's, each settling their own unit's part of a shared group order. */
export const UNIT_ORGANIZER_LOGINS: { login: string; name: string; roles: Role[]; unitCode: string }[] = [
  { login: "13800000006", name: "马德海", roles: ["employee", "organizer"], unitCode: "T1" },
  { login: "13800000007", name: "石凤英", roles: ["employee", "organizer"], unitCode: "T2" },
];

/**
 * A group order shared by several units, as DOMAIN §6 has them: the demo group order (opened by the HQ organizer)
 * also invites T2, and T1 and T2 each get an organizer who follows and settles that unit's members' orders.
 */
export async function seedSharedGroupOrderUnits(
  tx: Parameters<Parameters<typeof db.$transaction>[0]>[0],
  groupOrderId: string,
  unitByCode: Map<string, { id: string }>,
  passwordHash: string,
) {
  await tx.groupOrderUnit.createMany({ data: [{ groupOrderId, unitId: unitByCode.get("T2")!.id }], skipDuplicates: true });
  for (const login of UNIT_ORGANIZER_LOGINS) {
    await tx.user.create({
      data: {
        name: login.name,
        phone: login.login,
        passwordHash,
        unitId: unitByCode.get(login.unitCode)!.id,
        roles: { create: login.roles.map((role) => ({ role })) },
      },
    });
  }
}

export function printDemoLogins() {
  console.log(`\nDemo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const login of [...DEMO_LOGINS, ...UNIT_ORGANIZER_LOGINS])
    console.log(`  ${login.roles.join("+").padEnd(18)} ${login.login.padEnd(24)} ${login.name}`);
  console.log("");
}
