// Ratings (issue 16, point 4): once per line after receipt, the product page's average and count, hidden comments
// kept from buyers and the product page (audited), and the refusals that write nothing.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { cooperativeRatings, hideRatingComment, productRatingSummary, rateOrderLine } from "~/domain/purchases/ratings.server";
import { confirmReceiptByBuyer } from "~/domain/purchases/receipt.server";
import { getProductPage } from "~/domain/shop/catalog.server";
import { action as orderAction, loader as orderLoader } from "~/routes/orders.$number";
import { truncateAllTables } from "../../setup/reset";
import { createEmployee } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";
import { paidGroupOrder, purchaseShop } from "./helpers";
import { createUserSession } from "~/auth/session.server";

let setup: Awaited<ReturnType<typeof purchaseShop>>;

beforeEach(async () => {
  await truncateAllTables();
  setup = await purchaseShop();
});

const cookieOf = async (userId: string) => (await createUserSession(userId, "/")).headers.get("Set-Cookie")!.split(";")[0]!;

const post = (number: string, cookie: string, form: Record<string, string>) =>
  outcome(() => orderAction({ request: routeRequest(`/orders/${number}`, cookie, form), params: { number }, context: {} }));

describe("rating an order line", () => {
  it("refuses before receipt, then takes one rating per line, refusing a second and bad stars with nothing written", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const cookie = await cookieOf(buyer.id);
    const order = await paidGroupOrder(setup, buyer.id, 2);
    const lineId = order.lines[0]!.id;

    const early = await post(order.number, cookie, { intent: "rate", orderLineId: lineId, stars: "4" });
    expect(early.status).toBe(409);
    for (const stars of ["0", "6", "five", "3.5", ""]) {
      expect((await post(order.number, cookie, { intent: "rate", orderLineId: lineId, stars })).status, stars).toBe(422);
    }
    expect(await db.lineRating.count()).toBe(0);

    expect((await post(order.number, cookie, { intent: "receive" })).status).toBe(200);
    expect((await post(order.number, cookie, { intent: "rate", orderLineId: lineId, stars: "4", comment: "很甜" })).status).toBe(200);
    const twice = await post(order.number, cookie, { intent: "rate", orderLineId: lineId, stars: "1" });
    expect(twice.status).toBe(409);
    expect(await db.lineRating.findMany({ select: { stars: true, comment: true } })).toEqual([{ stars: 4, comment: "很甜" }]);

    const other = await createEmployee(setup.shop.unit.id);
    const stranger = await post(order.number, await cookieOf(other.id), { intent: "rate", orderLineId: lineId, stars: "5" });
    expect(stranger.status).toBe(404);
    expect((await post(order.number, await cookieOf(other.id), { intent: "receive" })).status).toBe(404);
  });

  it("averages every rating on the product page, shows the latest visible comments, and hides an abusive one (audited)", async () => {
    const stars = [5, 4, 4, 2];
    const lines: string[] = [];
    for (const [index, value] of stars.entries()) {
      const buyer = await createEmployee(setup.shop.unit.id);
      const order = await paidGroupOrder(setup, buyer.id, 1);
      await confirmReceiptByBuyer(buyer.id, order.number);
      await rateOrderLine(buyer.id, order.number, { orderLineId: order.lines[0]!.id, stars: value, comment: `评价${index}` });
      lines.push(order.lines[0]!.id);
    }
    expect(await productRatingSummary(setup.shop.product.id)).toMatchObject({ count: 4, average: "3.8" });

    const { user: coop } = await signedIn(["coop"], setup.shop.village.id);
    await hideRatingComment({ id: coop.id, villageId: setup.shop.village.id }, lines[3]!);
    await hideRatingComment({ id: coop.id, villageId: setup.shop.village.id }, lines[3]!);
    expect(await db.auditLog.count({ where: { action: "rating.comment.hide", entityId: lines[3] } })).toBe(1);

    const page = await getProductPage(setup.shop.product.slug);
    expect(page!.ratings.count).toBe(4);
    expect(page!.ratings.average).toBe("3.8");
    expect(page!.ratings.latest.map((r) => r.comment)).toEqual(["评价2", "评价1", "评价0"]);
    // The page reads its ratings in its own statement: the same as the summary, times included.
    expect(page!.ratings).toEqual(await productRatingSummary(setup.shop.product.id));

    const { user: outsider } = await signedIn(
      ["coop"],
      (await db.village.create({ data: { name: "外村", nameEn: "Other", county: "魏县" } })).id,
    );
    await expect(hideRatingComment({ id: outsider.id, villageId: outsider.villageId }, lines[0]!)).rejects.toMatchObject({ status: 404 });

    const coopView = await cooperativeRatings(setup.shop.village.id);
    expect(coopView.lots).toHaveLength(1);
    expect(coopView.lots[0]).toMatchObject({ ratings: 4, average: "3.8" });
    expect(coopView.households[0]).toMatchObject({ ratings: 4, average: "3.8" });
  });

  it("shows the buyer that their hidden comment is hidden, without its text", async () => {
    const buyer = await createEmployee(setup.shop.unit.id);
    const order = await paidGroupOrder(setup, buyer.id, 1);
    await confirmReceiptByBuyer(buyer.id, order.number);
    await rateOrderLine(buyer.id, order.number, { orderLineId: order.lines[0]!.id, stars: 1, comment: "骂人的话" });
    const { user: coop } = await signedIn(["coop"], setup.shop.village.id);
    await hideRatingComment({ id: coop.id, villageId: setup.shop.village.id }, order.lines[0]!.id);
    const mine = await outcome(async () =>
      orderLoader({
        request: routeRequest(`/orders/${order.number}`, await cookieOf(buyer.id)),
        params: { number: order.number },
        context: {},
      }),
    );
    const ratings = (mine.data as { ratings: Record<string, { stars: number; comment: string | null; hidden: boolean }> }).ratings;
    expect(ratings[order.lines[0]!.id]).toEqual({ stars: 1, comment: null, hidden: true });
  });
});
