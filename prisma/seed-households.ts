// The demo village's ~300 household files (DOMAIN §8): who lives there, what the family earns besides the shop, who
// produces what, and the short stories buyers read. Built in memory from a seeded generator and written with a few
// createMany calls. The other income is set so that monitoring (per-person income against the village threshold)
// flags only the few households whose stories say they struggle; every name and story is invented.
import type { HouseholdStatus, IncomeSource, Prisma, RiskFlagKind } from "~/db/generated/client";

export const HOUSEHOLD_COUNT = 300;
/** Per-person income the work team watches (¥7,000 a year), as the village's monitoring setting. */
export const THRESHOLD_FEN = 700_000;

export type Produce = "peach" | "noodle" | null;

/** A household file as the seed writes it, with what the season needs to know about it. */
export type SeedHousehold = {
  row: Prisma.HouseholdCreateManyInput & { id: string; code: string; memberCount: number; updatedAt: Date };
  produce: Produce;
  /** Only sold early in the season (a hailstorm took the rest of the crop) or stopped selling (illness). */
  stoppedSelling: boolean;
};

/** AS-035's file was opened this autumn and holds nothing yet (the work team's journey fills it in). */
const EMPTY_FILE = 35;
/**
 * The few households monitoring should flag, each for the reason its risk flag gives: low income per person, an
 * income that fell against last year, and no sales for months.
 */
const STRUGGLING: Record<number, { kind: RiskFlagKind; note: string; drop: boolean }> = {
  7: { kind: "illness", note: "户主今年春天做了心脏支架手术，不能再下地干重活，医药费自付部分较多。", drop: false },
  52: { kind: "schooling", note: "两个孩子同时上高中和大学，学费和生活费开支大。", drop: false },
  118: { kind: "disability", note: "户主腿部残疾，妻子外出务工的活今年停了，家庭收入明显下降。", drop: true },
  203: { kind: "disaster", note: "7月下旬冰雹打坏了桃园，后两茬桃基本绝收。", drop: true },
};

const SURNAMES = ["王", "李", "张", "刘", "赵", "杨", "陈", "郭", "马", "孙", "韩", "石", "吴", "胡", "高", "宋", "郑", "冯", "田", "董"];
const MALE = ["春生", "德海", "立军", "建华", "振江", "海涛", "国庆", "树林", "保全", "永刚", "金山", "志强", "文明", "长顺", "福来"];
const FEMALE = ["秀兰", "桂芳", "玉梅", "淑珍", "凤英", "红霞", "丽娟", "翠花", "春燕", "美玲", "巧云", "金凤", "晓霞", "素芬"];
const CHILD = ["浩然", "子涵", "欣怡", "宇轩", "梓萱", "俊杰", "雨桐", "博文", "思琪", "天佑", "嘉怡", "明轩"];
const GROUPS = ["一组", "二组", "三组", "四组", "五组"];

// Stories are put together from three parts (the land or the work, the family, how they go about it), each household
// taking a different combination, so a product page never repeats the same story.
const PEACH_LAND = [
  {
    zh: "家里承包了三亩桃园，种的是大久保和晚熟的映霜红。",
    en: "They contract three mu of orchard: Okubo peaches and the late Yingshuanghong.",
  },
  {
    zh: "桃园在村东的沙土岗上，排水好，桃子甜度高。",
    en: "The orchard sits on the sandy rise east of the village; it drains well and the fruit is sweet.",
  },
  {
    zh: "两亩半老桃树是父亲那辈种下的，前年又补栽了一批新苗。",
    en: "Two and a half mu of old trees their father planted, with new saplings added two years ago.",
  },
  {
    zh: "五亩桃园是村里流转过来的，去年刚进入盛果期。",
    en: "Five mu rented through the village; the trees came into full bearing last year.",
  },
  {
    zh: "在合作社的示范园里管着一亩半桃树，按产量分红。",
    en: "Tends one and a half mu in the cooperative's demonstration orchard and shares in the harvest.",
  },
  {
    zh: "四亩桃园挨着卫河故道，春天开花时全村人都来看。",
    en: "Four mu by the old Wei River bed; the whole village comes to see the blossom in spring.",
  },
];
const PEACH_FAMILY = [
  {
    zh: "孩子在县城上高中，卖桃的钱是家里最重要的进项。",
    en: "Their child is at high school in the county town; peach money is the family's main income.",
  },
  {
    zh: "老两口自己打理，儿子农忙时从邯郸回来帮着摘桃。",
    en: "An old couple run it; their son comes back from Handan to help at picking time.",
  },
  {
    zh: "前几年因病返贫，靠桃园和合作社的订单重新站了起来。",
    en: "Illness set them back a few years ago; the orchard and the cooperative's orders got them on their feet.",
  },
  {
    zh: "年轻人返乡承包桃园，成了村里的“技术员”。",
    en: "A young man came home to take on the orchard and is now the village's go-to for advice.",
  },
  {
    zh: "丈夫常年在外打工，桃园主要靠妻子一个人操持。",
    en: "The husband works away most of the year; his wife runs the orchard almost alone.",
  },
  { zh: "一家三代都在桃园里忙，奶奶负责挑拣装箱。", en: "Three generations work the orchard; grandmother sorts and packs the boxes." },
];
const PEACH_WAY = [
  { zh: "只施农家肥，不打激素。", en: "Farmyard manure only, no growth hormones." },
  { zh: "套袋种植，果面干净。", en: "Every fruit is bagged on the tree, so the skin stays clean." },
  { zh: "摘下当天就送合作社冷库。", en: "Picked fruit goes to the cooperative's cold store the same day." },
  { zh: "按合作社的标准分级，坏果一个不装。", en: "Graded to the cooperative's standard; no damaged fruit goes in a box." },
  { zh: "用黄板和杀虫灯防虫，少用农药。", en: "Yellow sticky boards and insect lamps keep pesticide use low." },
];
const NOODLE_WORK = [
  {
    zh: "在村扶贫微工厂做粉条，红薯是自家地里种的。",
    en: "Makes noodles at the village micro-factory from sweet potatoes grown on the family plot.",
  },
  {
    zh: "腿脚不便出不了远门，在微工厂晾晒粉条，按件计酬。",
    en: "Cannot travel far because of a bad leg; dries noodles at the micro-factory and is paid by the piece.",
  },
  {
    zh: "负责微工厂的漏粉工序，手艺是跟村里老师傅学的。",
    en: "Runs the pouring at the micro-factory, a craft learned from the village's old noodle maker.",
  },
  {
    zh: "冬天农闲时在微工厂打粉、漏粉，一个冬天能干四个月。",
    en: "Works the micro-factory through the slack winter months, about four months a year.",
  },
];
const NOODLE_FAMILY = [
  {
    zh: "家里五亩地都种红薯，秋收后直接送到微工厂。",
    en: "All five mu of the family's land grow sweet potatoes, delivered to the factory after harvest.",
  },
  { zh: "离家近，能照顾瘫痪在床的老母亲。", en: "Close to home, so there is time to look after a bedridden mother." },
  { zh: "两个孩子在镇上读书，做粉条的收入贴补学费。", en: "Two children at school in town; the noodle money helps with fees." },
  { zh: "老伴去世后一个人生活，在微工厂有份活干心里踏实。", en: "Living alone since being widowed, glad of steady work at the factory." },
  { zh: "一家人都会做粉条，过年前最忙。", en: "The whole family makes noodles; the weeks before Spring Festival are the busiest." },
];
const NOODLE_WAY = [
  { zh: "纯红薯淀粉，不加明矾。", en: "Pure sweet-potato starch, no alum." },
  { zh: "自然冷冻、自然晾晒，久煮不烂。", en: "Frozen and dried in the open air; they stay firm in the pot." },
  { zh: "坚持老法手工漏粉，一根一根都筋道。", en: "Poured by hand the old way; every strand is springy." },
  { zh: "每一袋都写着做粉人的名字。", en: "Every bag carries the name of the person who made it." },
];

/** A small deterministic generator so that every fresh machine gets the same demo village. */
export function prng(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

function story(index: number, produce: "peach" | "noodle") {
  const [first, second, third] = produce === "peach" ? [PEACH_LAND, PEACH_FAMILY, PEACH_WAY] : [NOODLE_WORK, NOODLE_FAMILY, NOODLE_WAY];
  // Consecutive households step through each list at a different pace, so neighbours on a page share no sentence.
  const parts = [first[index % first.length]!, second[Math.floor(index / 2) % second.length]!, third[(index * 3) % third.length]!];
  return { zh: parts.map((p) => p.zh).join(""), en: parts.map((p) => p.en).join(" ") };
}

type Member = Omit<Prisma.HouseholdMemberCreateManyInput, "householdId"> & { working: boolean; old: boolean };

function family(random: Random, surname: string, head: string, size: number, headOld: boolean): Member[] {
  const members: Member[] = [
    {
      name: `${surname}${head}`,
      relation: "户主",
      ageBand: headOld ? "60-79" : "16-59",
      employment: headOld ? "务农" : pick(random, ["务农", "县城务工", "本地打零工", "外出务工"]),
      working: !headOld,
      old: headOld,
    },
  ];
  if (size >= 2)
    members.push({
      name: `${pick(random, SURNAMES)}${pick(random, FEMALE)}`,
      relation: "配偶",
      ageBand: headOld ? "60-79" : "16-59",
      employment: headOld ? null : pick(random, ["务农", "微工厂务工", "本地打零工"]),
      working: !headOld,
      old: headOld,
    });
  for (let k = 2; k < size; k++) {
    if (headOld && k === 2) {
      members.push({
        name: `${surname}${pick(random, MALE)}`,
        relation: "儿子",
        ageBand: "16-59",
        employment: "外出务工",
        working: true,
        old: false,
      });
    } else if (!headOld && k === size - 1 && size >= 5) {
      members.push({
        name: `${surname}${pick(random, MALE)}`,
        relation: "父亲",
        ageBand: pick(random, ["60-79", "80+"]),
        working: false,
        old: true,
      });
    } else {
      const band = pick(random, ["0-5", "6-15", "6-15", "16-59"]);
      members.push({
        name: `${surname}${pick(random, CHILD)}`,
        relation: headOld ? "孙子女" : pick(random, ["儿子", "女儿"]),
        ageBand: band,
        schooling: band === "6-15" ? pick(random, ["小学", "初中"]) : band === "16-59" ? pick(random, ["高中", "大学", null]) : null,
        working: false,
        old: false,
      });
    }
  }
  return members;
}

/** Other income per source for one year, in fen: wages for working members, pensions, subsidies, land rent. */
function otherIncome(random: Random, members: Member[], status: HouseholdStatus, struggling: boolean) {
  const incomes: Partial<Record<IncomeSource, number>> = {};
  const add = (source: IncomeSource, fen: number) => (incomes[source] = (incomes[source] ?? 0) + fen);
  for (const member of members) {
    if (member.working) add("wages", struggling ? between(random, 4_000, 9_000) * 100 : between(random, 16_000, 38_000) * 100);
    if (member.old) add("pension", between(random, 1_900, 2_600) * 100);
  }
  if (status === "registered_poor") add("subsidy", between(random, 1_200, 3_000) * 100);
  if (random() < 0.5) add("land_transfer", between(random, 6, 20) * 8_000);
  // A household of only old people still clears the line through its children's support and the land it rents out.
  const perPerson = Object.values(incomes).reduce((sum, fen) => sum + fen, 0) / members.length;
  if (!struggling && perPerson < 9_000_00)
    add("other", Math.ceil(((9_000_00 - perPerson) * members.length) / 100) * 100 + between(random, 5, 30) * 10_000);
  return incomes;
}

export function buildHouseholds(villageId: string, currentYear: number, random: Random) {
  const households: SeedHousehold[] = [];
  const members: Prisma.HouseholdMemberCreateManyInput[] = [];
  const incomes: Prisma.HouseholdIncomeCreateManyInput[] = [];
  const riskFlags: Prisma.RiskFlagCreateManyInput[] = [];
  let poor = 0;
  for (let i = 1; i <= HOUSEHOLD_COUNT; i++) {
    const id = `seed-household-${String(i).padStart(3, "0")}`;
    // The first forty keep the roles the journeys know them by: 1–16 grow peaches, 17–28 make noodles, 29–40 sell nothing.
    const roll = random();
    const produce: Produce =
      i <= 40 ? (i <= 16 ? "peach" : i <= 28 ? "noodle" : null) : roll < 0.45 ? "peach" : roll < 0.6 ? "noodle" : null;
    const hardship = STRUGGLING[i];
    const status: HouseholdStatus =
      i <= 12 || hardship || (poor < 40 && random() < 0.1) ? "registered_poor" : i <= 18 || random() < 0.04 ? "low_income" : "other";
    if (status === "registered_poor") poor++;
    const surname = pick(random, SURNAMES);
    const headOld = random() < 0.3;
    const head = pick(random, MALE);
    const size = i === EMPTY_FILE ? 0 : pick(random, [1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6]);
    const people = family(random, surname, head, Math.max(size, 1), headOld);
    const consent = i !== EMPTY_FILE && (produce !== null ? random() < 0.8 : random() < 0.4);
    const told = produce && consent ? story(i, produce) : null;
    households.push({
      row: {
        id,
        villageId,
        code: `AS-${String(i).padStart(3, "0")}`,
        headName: `${surname}${head}`,
        memberCount: size === 0 ? 1 : people.length,
        villageGroup: GROUPS[i % GROUPS.length]!,
        status,
        exitYear: status === "registered_poor" ? 2016 + (i % 5) : null,
        pensionCovered: random() > 0.1,
        medicalCovered: random() > 0.03,
        consentToDisplay: consent,
        displayName: consent ? `${surname}家` : null,
        story: told?.zh ?? null,
        storyEn: told?.en ?? null,
        updatedAt: new Date(),
      },
      produce,
      stoppedSelling: i === 203 || i === 7,
    });
    if (size === 0) continue;
    for (const [k, { working: _w, old: _o, ...member }] of people.entries())
      members.push({
        id: `${id}-m${k}`,
        name: member.name,
        relation: member.relation,
        ageBand: member.ageBand,
        health: null,
        disability: null,
        schooling: member.schooling ?? null,
        employment: member.employment ?? null,
        householdId: id,
      });
    // Last year's income, and this year's a little higher; a household whose hardship struck this year earns less.
    const lastYear = otherIncome(random, people, status, hardship !== undefined && !hardship.drop);
    const thisYear = hardship?.drop ? otherIncome(random, people, status, true) : lastYear;
    const growth = 1 + between(random, 1, 8) / 100;
    for (const [year, income, factor] of [
      [currentYear - 1, lastYear, 1],
      [currentYear, thisYear, hardship?.drop ? 1 : growth],
    ] as const)
      for (const [source, fen] of Object.entries(income))
        incomes.push({
          id: `${id}-${year}-${source}`,
          householdId: id,
          year,
          source: source as IncomeSource,
          amountFen: Math.round((fen * factor) / 100) * 100,
        });
    if (hardship) riskFlags.push({ householdId: id, kind: hardship.kind, note: hardship.note });
  }
  return { households, members, incomes, riskFlags };
}
