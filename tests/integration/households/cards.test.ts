import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { recordPayout } from "~/domain/cooperative/payouts.server";
import { refundOrder } from "~/domain/cooperative/refunds.server";
import { cardTokenHash } from "~/domain/households/cards.server";
import { loader as cardLoader } from "~/routes/h.$token";
import { action as cardsAction, loader as cardsLoader } from "~/routes/team.cards";
import { createHousehold, createShop } from "../fixtures";
import { paidOrder } from "../cooperative/fixtures";
import { outcome, routeRequest, signedIn, withRateLimits } from "../route-helpers";

type Sheet = { cards: { householdId: string; code: string; url: string; qrSvg: string }[] };
type IssueAnswer = { result: { status?: string; error?: Record<string, string[]> }; done?: string; sheet?: Sheet };

let ipSeq = 0;
/** Each opening from its own address, so these tests never meet the page's rate limit unless they mean to. */
const freshIp = () => `198.18.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

async function openCard(url: string, { ip = freshIp(), cookie = "" } = {}) {
  const token = new URL(url, "http://localhost").pathname.slice("/h/".length);
  const request = new Request(`http://localhost/h/${token}`, { headers: { Cookie: cookie } });
  let headers: Headers | undefined;
  const result = await outcome(async () => {
    const answer = await cardLoader({ request, params: { token }, context: { clientIp: ip } });
    headers = new Headers(answer.init?.headers);
    return answer;
  });
  return { ...result, headers };
}

async function issue(cookie: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of [value].flat()) body.append(name, v);
  const request = new Request("http://localhost/team/cards", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  const result = await outcome(() => cardsAction({ request, params: {}, context: {} }));
  return { status: result.status, answer: result.data as IssueAnswer };
}

describe("household cards", () => {
  it("are issued by the village's team, open the household's page, and stop at once when replaced", async () => {
    const shop = await createShop();
    const [first, second] = [await createHousehold(shop.village.id), await createHousehold(shop.village.id)];
    const team = await signedIn(["team"], shop.village.id);

    const issued = await issue(team.cookie, { intent: "missing" });
    expect(issued.status).toBe(200);
    const cards = issued.answer.sheet!.cards;
    expect(cards.map((c) => c.code)).toEqual([first.code, second.code].sort());
    const card = cards.find((c) => c.householdId === first.id)!;
    // 32 random bytes, and only their hash in the database.
    const token = card.url.split("/h/")[1]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(card.qrSvg).toContain("<svg");
    const stored = await db.householdCard.findUniqueOrThrow({ where: { householdId: first.id } });
    expect(stored.tokenHash).toBe(cardTokenHash(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const opened = await openCard(card.url);
    expect(opened.status).toBe(200);
    expect(opened.headers?.get("Cache-Control")).toBe("private, no-store");
    expect(opened.headers?.get("X-Robots-Tag")).toBe("noindex, nofollow");
    expect((opened.data as { household: { code: string } }).household.code).toBe(first.code);

    // Printing the village again makes no card for households that have one.
    expect((await issue(team.cookie, { intent: "missing" })).status).toBe(409);

    // Replacing needs a confirmation, then the old card is a 404 like any unknown token.
    const refused = await issue(team.cookie, { intent: "selected", householdIds: [first.id] });
    expect(refused.status).toBe(422);
    expect(refused.answer.result.error?.confirm).toEqual(["cards.errors.confirmReplace?count=1"]);
    const replaced = await issue(team.cookie, { intent: "selected", householdIds: [first.id], confirm: "yes" });
    expect(replaced.status).toBe(200);
    expect((await openCard(card.url)).status).toBe(404);
    expect((await openCard(replaced.answer.sheet!.cards[0]!.url)).status).toBe(200);

    // Truncated, lengthened, guessed and empty tokens: all the same 404.
    for (const guess of [token.slice(0, 20), `${token}x`, randomUUID(), "", "../team"]) {
      expect((await openCard(`/h/${encodeURIComponent(guess)}`)).status, guess).toBe(404);
    }

    // Every issue, replacement and opening is in the household's audit trail; an opening names no one and no address.
    const trail = await db.auditLog.findMany({
      where: { entityType: "Household", entityId: first.id },
      orderBy: { id: "asc" },
      select: { action: true, actorId: true, ip: true },
    });
    expect(trail.map((a) => a.action)).toEqual([
      "household.card.issue",
      "household.card.open",
      "household.card.replace",
      "household.card.open",
    ]);
    for (const opening of trail.filter((a) => a.action === "household.card.open"))
      expect(opening).toMatchObject({ actorId: null, ip: null });

    const listed = await outcome(() => cardsLoader({ request: routeRequest("/team/cards", team.cookie), params: {}, context: {} }));
    const row = (listed.data as { households: { id: string; card: { openings: number } | null }[] }).households.find(
      (h) => h.id === first.id,
    )!;
    // Counted since the card in hand was issued.
    expect(row.card?.openings).toBe(1);
  });

  it("are refused for another village's households and to anyone but the team", async () => {
    const shop = await createShop();
    const household = await createHousehold(shop.village.id);
    const other = await createShop();
    const otherTeam = await signedIn(["team"], other.village.id);
    expect((await issue(otherTeam.cookie, { intent: "selected", householdIds: [household.id], confirm: "yes" })).status).toBe(404);
    const coop = await signedIn(["coop"], shop.village.id);
    expect((await issue(coop.cookie, { intent: "missing" })).status).toBe(403);
    expect((await issue("", { intent: "missing" })).status).toBe(302);
    expect((await issue(otherTeam.cookie, { intent: "selected" })).status).toBe(400);
    expect(await db.householdCard.count({ where: { householdId: household.id } })).toBe(0);
  });

  it("show only the household's own figures, equal to its ledger to the fen", async () => {
    // Two households' lots fill one order of 7 boxes; 2 boxes are refunded; the first household is paid out part.
    const placed = await paidOrder(7, [4, 6], "unit_settlement");
    const [mine, theirs] = placed.lots.map((lot) => lot.householdId) as [string, string];
    await refundOrder({
      orderId: placed.order.id,
      actorId: placed.coop.id,
      villageId: placed.coop.villageId,
      idempotencyKey: "card-refund",
      reason: "坏果",
      lines: [{ orderLineId: placed.line.id, quantity: 2 }],
    });
    await recordPayout({
      householdId: mine,
      amountFen: 1000,
      method: "cash",
      reference: "XJ-001",
      paidOn: new Date("2026-07-01T00:00:00Z"),
      idempotencyKey: "card-payout",
      actor: placed.coop,
    });
    const team = await signedIn(["team"], placed.shop.village.id);
    const issued = await issue(team.cookie, { intent: "selected", householdIds: [mine] });
    const opened = await openCard(issued.answer.sheet!.cards[0]!.url);
    expect(opened.status).toBe(200);
    const figures = opened.data as {
      household: { code: string };
      years: { year: number; months: number[]; incomeFen: number; feeFen: number; purchases: { unitName: string; boxes: number }[] }[];
      payouts: { amountFen: number; method: string }[];
      balanceFen: number;
      everSold: boolean;
    };

    const sum = async (where: string) =>
      (
        await db.$queryRawUnsafe<{ total: number }[]>(
          `SELECT COALESCE(SUM(e."amountFen"), 0)::int AS "total" FROM "LedgerEntry" e
           LEFT JOIN "Allocation" a ON a."id" = e."allocationId" LEFT JOIN "StockLot" l ON l."id" = a."lotId" WHERE ${where}`,
          mine,
        )
      )[0]!.total;
    const income = await sum(`e."householdId" = $1 AND e."kind" IN ('sale_credit', 'sale_reversal')`);
    const fee = await sum(`l."householdId" = $1 AND e."kind" IN ('fee', 'fee_reversal')`);
    const balance = await sum(`e."householdId" = $1`);
    const [thisYear] = figures.years;
    expect(figures.everSold).toBe(true);
    expect(income).toBeGreaterThan(0);
    expect(thisYear!.incomeFen).toBe(income);
    expect(thisYear!.months.reduce((a, b) => a + b, 0)).toBe(income);
    expect(thisYear!.feeFen).toBe(fee);
    expect(figures.balanceFen).toBe(balance);
    expect(figures.balanceFen).toBe(income - 1000);
    expect(figures.payouts).toMatchObject([{ amountFen: 1000, method: "cash" }]);
    const allocations = await db.allocation.findMany({
      where: { lot: { householdId: mine }, releasedAt: null },
      select: { quantity: true, refundedQuantity: true },
    });
    expect(thisYear!.purchases).toEqual([
      expect.objectContaining({
        unitName: placed.shop.unit.name,
        boxes: allocations.reduce((n, a) => n + a.quantity - a.refundedQuantity, 0),
      }),
    ]);

    // Nothing about the other household: not its code, not its figures.
    const theirCode = (await db.household.findUniqueOrThrow({ where: { id: theirs } })).code;
    expect(JSON.stringify(figures)).not.toContain(theirCode);
    expect(JSON.stringify(figures)).not.toMatch(/headName|idMasked|health|memberCount/);
  });

  it("say kindly when a household has sold nothing yet", async () => {
    const shop = await createShop();
    const household = await createHousehold(shop.village.id);
    const team = await signedIn(["team"], shop.village.id);
    const issued = await issue(team.cookie, { intent: "selected", householdIds: [household.id] });
    const opened = await openCard(issued.answer.sheet!.cards[0]!.url);
    expect(opened.data).toMatchObject({ everSold: false, balanceFen: 0, payouts: [] });
  });

  it("are rate-limited per address, known and unknown tokens alike", async () => {
    const shop = await createShop();
    const household = await createHousehold(shop.village.id);
    const team = await signedIn(["team"], shop.village.id);
    const url = (await issue(team.cookie, { intent: "selected", householdIds: [household.id] })).answer.sheet!.cards[0]!.url;
    const ip = "203.0.113.77";
    await withRateLimits(async () => {
      for (let i = 0; i < 30; i++) expect((await openCard("/h/not-a-card", { ip })).status).toBe(404);
      for (let i = 0; i < 30; i++) expect((await openCard(url, { ip })).status).toBe(200);
      expect((await openCard(url, { ip })).status).toBe(429);
      expect((await openCard(url)).status).toBe(200);
    });
  });
});
