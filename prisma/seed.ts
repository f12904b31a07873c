// Demo data: a fictional village, cooperative, households, products, stock and bureau units, plus one login per
// role. Every name here is invented.
import { hashPassword } from "~/auth/password.server";
import { db } from "~/db/client.server";
import type { HouseholdStatus, Role } from "~/db/generated/client";
import { seedCountedPurchases } from "./seed-counted";

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
  { code: "GP", name: "物化探研究院", nameEn: "Geophysics Institute" },
  { code: "SM", name: "测绘院", nameEn: "Surveying Institute" },
];

const SURNAMES = ["王", "李", "张", "刘", "赵", "杨", "陈", "郭", "马", "孙", "韩", "石"];
const GIVEN = ["春生", "秀兰", "德海", "桂芳", "立军", "玉梅", "建华", "淑珍", "振江", "凤英", "海涛", "红霞", "国庆", "丽娟"];
const GROUPS = ["一组", "二组", "三组", "四组", "五组"];
// Households 17–28 make noodles at the micro-factory; the others grow peaches (see the stock lots below).
const PEACH_STORIES = [
  {
    zh: "家里三亩桃园，老两口精心侍弄，不打激素，只施农家肥。",
    en: "Three mu of peach orchard, tended by an old couple with farmyard manure only.",
  },
  {
    zh: "孩子在县城上高中，卖桃的收入是全家最重要的进项。",
    en: "Their child is at high school in the county town; peach sales are the family's main income.",
  },
  {
    zh: "前几年生病返贫，靠种桃和合作社分红重新站了起来。",
    en: "Fell back after an illness; peach farming and the cooperative helped them recover.",
  },
  { zh: "年轻人返乡承包桃园，学了新的修剪技术。", en: "A young man came home to contract an orchard and learned new pruning methods." },
];
const NOODLE_STORIES = [
  {
    zh: "在村扶贫微工厂做粉条，红薯是自家地里种的。",
    en: "Makes noodles at the village micro-factory from sweet potatoes grown on the family plot.",
  },
  {
    zh: "腿脚不便出不了远门，在微工厂晾晒粉条，按件计酬。",
    en: "Cannot travel far because of a bad leg; dries noodles at the micro-factory and is paid by the piece.",
  },
];
const isNoodleHousehold = (index: number) => index >= 17 && index <= 28;

/** A small deterministic generator so that every fresh machine gets the same demo village. */
function prng(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const DAY = 24 * 60 * 60 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);
const dateOnly = (d: Date) => new Date(d.toISOString().slice(0, 10));

/** Seeds the demo data once; returns false (and writes nothing) when the village already exists. */
export async function seedDemoData(): Promise<boolean> {
  if ((await db.village.count()) > 0) return false;
  const random = prng(20_160_501);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await db.$transaction(
    async (tx) => {
      const village = await tx.village.create({ data: { name: "岸上村", nameEn: "Anshang Village", county: "河北省邯郸市魏县" } });
      const coop = await tx.cooperative.create({
        data: { villageId: village.id, name: "岸上村果蔬专业合作社", nameEn: "Anshang Produce Cooperative", deliveryFeeFen: 1200 },
      });
      const units = await Promise.all(UNITS.map((u) => tx.unit.create({ data: u })));
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

      const households = [];
      for (let i = 1; i <= 40; i++) {
        const status: HouseholdStatus = i <= 12 ? "registered_poor" : i <= 18 ? "low_income" : "other";
        const consent = i % 3 !== 0;
        const surname = SURNAMES[i % SURNAMES.length]!;
        const stories = isNoodleHousehold(i) ? NOODLE_STORIES : PEACH_STORIES;
        const story = stories[i % stories.length]!;
        households.push(
          await tx.household.create({
            data: {
              villageId: village.id,
              code: `AS-${String(i).padStart(3, "0")}`,
              headName: `${surname}${GIVEN[Math.floor(random() * GIVEN.length)]}`,
              memberCount: 1 + Math.floor(random() * 5),
              villageGroup: GROUPS[i % GROUPS.length]!,
              status,
              exitYear: status === "registered_poor" ? 2017 + (i % 4) : null,
              pensionCovered: random() > 0.2,
              medicalCovered: random() > 0.05,
              consentToDisplay: consent,
              displayName: consent ? `${surname}家` : null,
              story: consent ? story.zh : null,
              storyEn: consent ? story.en : null,
            },
          }),
        );
      }

      await tx.setting.createMany({
        data: [
          { villageId: village.id, key: "monitoring.perCapitaThresholdFen", value: 700_000 },
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
          seasonZh: "7–10月",
          seasonEn: "July–October",
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
          seasonZh: "全年",
          seasonEn: "All year",
          images: { create: [{ path: "/images/noodles.svg", altZh: "一袋手工粉条", altEn: "A bag of noodles", width: 640, height: 480 }] },
          skus: {
            create: [
              { code: "NOODLE-2.5KG", nameZh: "2.5公斤袋装", nameEn: "2.5 kg bag", priceFen: 7_500, weightGrams: 2_500, maxPerOrder: 20 },
            ],
          },
        },
        include: { skus: true },
      });

      let lotNumber = 0;
      const lot = async (skuId: string, householdId: string, quantity: number, producedAgo: number, keepsDays: number) => {
        lotNumber++;
        const produced = daysFromNow(-producedAgo);
        await tx.stockLot.create({
          data: {
            code: `L-${String(lotNumber).padStart(4, "0")}`,
            traceCode: `T${String(lotNumber).padStart(4, "0")}${Math.floor(random() * 36 ** 4)
              .toString(36)
              .toUpperCase()
              .padStart(4, "0")}`,
            skuId,
            householdId,
            quantityReceived: quantity,
            producedOn: dateOnly(produced),
            receivedOn: dateOnly(daysFromNow(-Math.max(0, producedAgo - 1))),
            bestBefore: dateOnly(daysFromNow(keepsDays - producedAgo)),
          },
        });
      };
      for (const [index, household] of households.slice(0, 16).entries()) {
        await lot(peach.skus[index % 2]!.id, household.id, 10 + Math.floor(random() * 30), 1 + (index % 3), 10 + (index % 4));
      }
      for (const [index, household] of households.slice(16, 28).entries()) {
        await lot(noodles.skus[0]!.id, household.id, 20 + Math.floor(random() * 40), 10 + index * 3, 240);
      }

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
          deliveryDate: dateOnly(daysFromNow(5)),
          allowCard: true,
          allowUnitSettlement: true,
          units: { create: [{ unitId: unitByCode.get("HQ")!.id }, { unitId: unitByCode.get("T1")!.id }] },
          items: {
            create: [
              { skuId: peach.skus[0]!.id, perPersonLimit: 5 },
              { skuId: peach.skus[1]!.id, perPersonLimit: 5 },
              { skuId: noodles.skus[0]!.id, perPersonLimit: 10 },
            ],
          },
        },
      });
      await seedSharedGroupOrderUnits(tx, shared.id, unitByCode, passwordHash);
    },
    { timeout: 60_000 },
  );
  await seedCountedPurchases();
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
