import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "~/config.server";
import { db } from "~/db/client.server";
import { isDomainError } from "~/domain/errors";
import { loader as landingLoader } from "~/routes/g.$id";
import { loader as posterLoader } from "~/routes/organizer.group-orders.$id.poster[.png]";
import { loader as shareLoader } from "~/routes/organizer.group-orders.$id.poster";
import { createEmployee, createGroupOrder, createLot, createShop } from "../fixtures";
import { responseForDomainError } from "~/utils/domain-responses.server";
import { outcome, routeRequest, signedIn } from "../route-helpers";

const APP_URL = "https://shop.example";
const globalConfig = globalThis as { __anshangConfig?: AppConfig };
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "anshang-posters-"));
  globalConfig.__anshangConfig = loadConfig({ ...process.env, DATA_DIR: dataDir, APP_URL });
});

afterAll(() => {
  delete globalConfig.__anshangConfig;
  rmSync(dataDir, { recursive: true, force: true });
});

async function organizerOf(unitId: string) {
  const organizer = await signedIn(["employee", "organizer"], null);
  await db.user.update({ where: { id: organizer.user.id }, data: { unitId } });
  return organizer;
}

async function poster(groupOrderId: string, cookie: string, query = "lang=zh", headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost/organizer/group-orders/${groupOrderId}/poster.png?${query}`, {
    headers: { Cookie: cookie, ...headers },
  });
  // As the server answers: a thrown response as it is, a DomainError as its status (withDomainErrorResponses).
  return posterLoader({ request, params: { id: groupOrderId }, context: {} }).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    if (isDomainError(thrown)) return responseForDomainError(thrown);
    throw thrown;
  });
}

const landing = (groupOrderId: string, cookie: string) =>
  outcome(() => landingLoader({ request: routeRequest(`/g/${groupOrderId}`, cookie), params: { id: groupOrderId }, context: {} }));

describe("the group-order poster", () => {
  it("is a PNG for the group order's organizer, cached until what it shows changes", async () => {
    const shop = await createShop();
    await createLot(shop, 10);
    const organizer = await organizerOf(shop.unit.id);
    const group = await createGroupOrder(shop, organizer.user.id);

    const first = await poster(group.id, organizer.cookie);
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("image/png");
    expect(first.headers.get("X-Poster-Cache")).toBe("miss");
    const image = PNG.sync.read(Buffer.from(await first.arrayBuffer()));
    expect(image.width).toBe(1080);
    expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(`${APP_URL}/g/${group.id}`);

    const again = await poster(group.id, organizer.cookie);
    expect(again.headers.get("X-Poster-Cache")).toBe("hit");
    expect(again.headers.get("ETag")).toBe(first.headers.get("ETag"));
    expect((await poster(group.id, organizer.cookie, "lang=zh", { "If-None-Match": first.headers.get("ETag")! })).status).toBe(304);
    const download = await poster(group.id, organizer.cookie, "lang=en&download=1");
    expect(download.headers.get("Content-Disposition")).toMatch(/^attachment; filename="group-order-.*-en\.png"$/);

    // A new price is a new poster; the old one is gone from the cache.
    await db.sku.update({ where: { id: shop.sku.id }, data: { priceFen: shop.sku.priceFen + 100 } });
    const changed = await poster(group.id, organizer.cookie);
    expect(changed.headers.get("X-Poster-Cache")).toBe("miss");
    expect(changed.headers.get("ETag")).not.toBe(first.headers.get("ETag"));
    expect(readdirSync(path.join(dataDir, "posters")).filter((name) => name.startsWith(`${group.id}-zh-`))).toHaveLength(1);

    const share = await outcome(() =>
      shareLoader({
        request: routeRequest(`/organizer/group-orders/${group.id}/poster`, organizer.cookie),
        params: { id: group.id },
        context: {},
      }),
    );
    expect(share.data).toMatchObject({ landingUrl: `${APP_URL}/g/${group.id}` });
  });

  it("is refused for another unit's group order, an unknown one and a language it does not have", async () => {
    const shop = await createShop();
    const organizer = await organizerOf(shop.unit.id);
    const group = await createGroupOrder(shop, organizer.user.id);
    const other = await createShop();
    const otherOrganizer = await organizerOf(other.unit.id);
    expect((await poster(group.id, otherOrganizer.cookie)).status).toBe(403);
    expect((await poster("nope", organizer.cookie)).status).toBe(404);
    expect((await poster(group.id, organizer.cookie, "lang=fr")).status).toBe(400);
    const employee = await signedIn(["employee"], null);
    expect((await poster(group.id, employee.cookie)).status).toBe(403);
  });
});

describe("the page a poster's QR code opens", () => {
  it("asks a signed-out colleague to sign in, and shows the unit's employees how to join", async () => {
    const shop = await createShop();
    const organizer = await organizerOf(shop.unit.id);
    const group = await createGroupOrder(shop, organizer.user.id);
    const signedOut = await landing(group.id, "");
    expect(signedOut).toMatchObject({ status: 200, data: { access: "signed_out", group: { state: "open", title: group.title } } });
    const colleague = await signedIn(["employee"], null);
    await db.user.update({ where: { id: colleague.user.id }, data: { unitId: shop.unit.id } });
    expect((await landing(group.id, colleague.cookie)).data).toMatchObject({ access: "invited", next: [] });
    const outsider = await signedIn(["employee"], null);
    await db.user.update({ where: { id: outsider.user.id }, data: { unitId: (await createShop()).unit.id } });
    expect((await landing(group.id, outsider.cookie)).data).toMatchObject({ access: "not_invited" });
    expect((await landing("nope", "")).status).toBe(404);
  });

  it("says a closed group order closed and shows the unit's next open one", async () => {
    const shop = await createShop();
    const buyer = await createEmployee(shop.unit.id);
    const closed = await createGroupOrder(shop, buyer.id, { closesInMs: -60_000 });
    const next = await createGroupOrder(shop, buyer.id, { closesInMs: 2 * 24 * 60 * 60 * 1000 });
    const answer = await landing(closed.id, "");
    expect(answer.data).toMatchObject({ group: { state: "closed" }, next: [{ id: next.id }] });
  });
});
