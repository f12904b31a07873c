import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { PNG } from "pngjs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "~/config.server";
import { db } from "~/db/client.server";
import { getProductPage } from "~/domain/shop/catalog.server";
import { MAX_PHOTO_BYTES } from "~/domain/cooperative/photos.server";
import { action as editAction, loader as editLoader } from "~/routes/coop.products_.$productId";
import { action as newAction, loader as newLoader } from "~/routes/coop.products_.new";
import { loader as photoLoader } from "~/routes/uploads.products.$file";
import { anonymousPageCache } from "~/utils/page-cache.server";
import { createShop } from "../fixtures";
import { outcome, routeRequest, signedIn } from "../route-helpers";
import { paidOrder } from "./fixtures";

const globalConfig = globalThis as { __anshangConfig?: AppConfig };
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "anshang-photos-"));
  globalConfig.__anshangConfig = loadConfig({ ...process.env, DATA_DIR: dataDir });
});

// Each test starts with no stored photo, so "nothing written" can be checked by listing the file store.
beforeEach(async () => {
  await db.storedFile.deleteMany();
});

afterAll(() => {
  delete globalConfig.__anshangConfig;
  rmSync(dataDir, { recursive: true, force: true });
});

const storedFiles = async () => (await db.storedFile.findMany({ select: { key: true } })).map((f) => f.key.replace(/^products\//, ""));

const PRODUCT_FORM = {
  intent: "product",
  nameZh: "手工红薯粉条",
  nameEn: "Hand-made Sweet-potato Noodles",
  descriptionZh: "扶贫微工厂手工制作",
  descriptionEn: "Made by hand in the village micro-factory",
  seasonZh: "全年",
  seasonEn: "All year",
  feeRate: "7.5",
  active: "on",
};

const SKU_FORM = {
  intent: "new-sku",
  code: "noodle-2500g",
  nameZh: "2.5公斤袋装",
  nameEn: "2.5 kg bag",
  price: "45.8",
  weightGrams: "2500",
  maxPerOrder: "10",
  active: "on",
};

async function coopOf(villageId: string) {
  return (await signedIn(["coop"], villageId)).cookie;
}

const createProduct = (cookie: string, form: Record<string, string>) =>
  outcome(() => newAction({ request: routeRequest("/coop/products/new", cookie, form), params: {}, context: {} }));
const edit = (cookie: string, productId: string, form: Record<string, string>) =>
  outcome(() => editAction({ request: routeRequest(`/coop/products/${productId}`, cookie, form), params: { productId }, context: {} }));
const openEdit = (cookie: string, productId: string) =>
  outcome(() => editLoader({ request: routeRequest(`/coop/products/${productId}`, cookie), params: { productId }, context: {} }));

/**
 * Posts the photo form as a browser would, saying how long the body is; `streamed` leaves the length out, as a
 * chunked upload does, so only the multipart parser can notice a part that is too big.
 */
async function upload(cookie: string, productId: string, file: Blob, fileName: string, alt: Record<string, string> = {}, streamed = false) {
  const form = new FormData();
  form.append("photo", file, fileName);
  for (const [name, value] of Object.entries(alt)) form.append(name, value);
  const encoded = new Response(form);
  const body = new Uint8Array(await encoded.arrayBuffer());
  const headers = {
    Cookie: cookie,
    "Content-Type": encoded.headers.get("Content-Type")!,
    ...(streamed ? {} : { "Content-Length": String(body.length) }),
  };
  const request = new Request(`http://localhost/coop/products/${productId}`, {
    method: "POST",
    headers,
    body: streamed ? new Blob([body]).stream() : body,
    duplex: "half",
  } as RequestInit);
  return outcome(() => editAction({ request, params: { productId }, context: {} }));
}

function png(width: number, height: number) {
  const image = new PNG({ width, height });
  image.data.fill(180);
  return new Uint8Array(PNG.sync.write(image));
}

const fieldErrors = (result: { data?: unknown }) => (result.data as { result: { error?: Record<string, string[]> } }).result.error;

describe("creating and editing products", () => {
  it("creates a product with a slug made from the English name and the fee rate in basis points, then SKUs under it", async () => {
    const shop = await createShop();
    const cookie = await coopOf(shop.village.id);
    expect((await outcome(() => newLoader({ request: routeRequest("/coop/products/new", cookie), params: {}, context: {} }))).status).toBe(
      200,
    );

    const created = await createProduct(cookie, PRODUCT_FORM);
    expect(created.status).toBe(302);
    const product = await db.product.findUniqueOrThrow({ where: { slug: "hand-made-sweet-potato-noodles" } });
    expect(created.location).toBe(`/coop/products/${product.id}`);
    expect(product).toMatchObject({
      cooperativeId: shop.cooperative.id,
      nameZh: "手工红薯粉条",
      descriptionEn: "Made by hand in the village micro-factory",
      seasonZh: "全年",
      feeRateBp: 750,
      active: true,
    });

    expect(await edit(cookie, product.id, SKU_FORM)).toMatchObject({
      status: 200,
      data: { done: "cooperative.products.skuAdded?code=NOODLE-2500G" },
    });
    expect(await db.sku.findUniqueOrThrow({ where: { code: "NOODLE-2500G" } })).toMatchObject({
      productId: product.id,
      priceFen: 4580,
      weightGrams: 2500,
      maxPerOrder: 10,
      active: true,
    });
    expect(await db.auditLog.count({ where: { entityId: product.id, action: "product.create" } })).toBe(1);

    const page = await openEdit(cookie, product.id);
    expect(page.data).toMatchObject({ product: { slug: "hand-made-sweet-potato-noodles", skus: [{ code: "NOODLE-2500G" }], images: [] } });
  });

  it("answers field errors and writes nothing for a taken slug or code, bad prices, fee rates and weights", async () => {
    const shop = await createShop();
    const cookie = await coopOf(shop.village.id);
    const products = await db.product.count();

    expect(fieldErrors(await createProduct(cookie, { ...PRODUCT_FORM, slug: shop.product.slug }))).toEqual({
      slug: ["cooperative.products.errors.duplicateSlug"],
    });
    expect(fieldErrors(await createProduct(cookie, { ...PRODUCT_FORM, slug: "Not A Slug!" }))).toEqual({
      slug: ["cooperative.products.errors.slug"],
    });
    expect(fieldErrors(await createProduct(cookie, { ...PRODUCT_FORM, nameEn: "桃子" }))).toEqual({
      slug: ["cooperative.products.errors.slugNeeded"],
    });
    for (const feeRate of ["101", "-1", "8.125", "eight", ""]) {
      const refused = await createProduct(cookie, { ...PRODUCT_FORM, feeRate });
      expect(refused.status, feeRate).toBe(422);
      expect(fieldErrors(refused), feeRate).toEqual({ feeRate: ["cooperative.errors.feeRate"] });
    }
    expect(fieldErrors(await createProduct(cookie, { ...PRODUCT_FORM, nameZh: "  " }))).toEqual({ nameZh: ["errors.required"] });
    expect(await db.product.count()).toBe(products);

    const skus = await db.sku.count();
    const sku = (form: Record<string, string>) => edit(cookie, shop.product.id, { ...SKU_FORM, ...form });
    expect((await sku({ code: "box-1" })).status).toBe(200);
    expect(fieldErrors(await sku({ code: "Box-1" }))).toEqual({ code: ["cooperative.products.errors.duplicateCode"] });
    for (const price of ["-1", "12.345", "0", "1e3", ""])
      expect(fieldErrors(await sku({ price })), price).toEqual({ price: ["cooperative.errors.amount"] });
    expect(fieldErrors(await sku({ weightGrams: "2.5", maxPerOrder: "0", code: "含中文" }))).toEqual({
      weightGrams: ["cooperative.products.errors.weight"],
      maxPerOrder: ["cooperative.errors.quantity"],
      code: ["cooperative.products.errors.code"],
    });
    expect((await sku({ price: "-1" })).status).toBe(422);
    expect(await db.sku.count()).toBe(skus + 1);
  });

  it("edits every field of a product and a SKU; orders already placed keep their price", async () => {
    const placed = await paidOrder(2, [5]);
    const { shop } = placed;
    const cookie = await coopOf(shop.village.id);
    const lineBefore = await db.orderLine.findFirstOrThrow({ where: { orderId: placed.order.id } });

    const saved = await edit(cookie, shop.product.id, { ...PRODUCT_FORM, slug: "noodles-edited", feeRate: "10" });
    expect(saved).toMatchObject({ status: 200, data: { done: "cooperative.products.saved" } });
    expect(await db.product.findUniqueOrThrow({ where: { id: shop.product.id } })).toMatchObject({
      slug: "noodles-edited",
      nameEn: "Hand-made Sweet-potato Noodles",
      descriptionZh: "扶贫微工厂手工制作",
      seasonEn: "All year",
      feeRateBp: 1000,
    });

    const skuForm = {
      intent: "sku",
      skuId: shop.sku.id,
      code: "PEACH-5KG-A",
      nameZh: "5公斤礼盒",
      nameEn: "5 kg gift box",
      price: "99",
      weightGrams: "5200",
      maxPerOrder: "3",
    };
    expect(await edit(cookie, shop.product.id, skuForm)).toMatchObject({ status: 200, data: { done: "cooperative.products.saved" } });
    expect(await db.sku.findUniqueOrThrow({ where: { id: shop.sku.id } })).toMatchObject({
      code: "PEACH-5KG-A",
      nameEn: "5 kg gift box",
      priceFen: 9900,
      weightGrams: 5200,
      maxPerOrder: 3,
      active: false,
    });
    expect(await db.orderLine.findFirstOrThrow({ where: { orderId: placed.order.id } })).toMatchObject({
      unitPriceFen: lineBefore.unitPriceFen,
      lineTotalFen: lineBefore.lineTotalFen,
    });
    expect(await db.order.findUniqueOrThrow({ where: { id: placed.order.id }, select: { totalFen: true } })).toEqual({
      totalFen: placed.order.totalFen,
    });

    const audit = await db.auditLog.findFirstOrThrow({ where: { entityId: shop.sku.id, action: "sku.update" } });
    expect(audit.changes).toMatchObject({
      before: { priceFen: shop.sku.priceFen, active: true },
      after: { priceFen: 9900, active: false },
    });

    const otherProduct = await db.product.create({
      data: {
        cooperativeId: shop.cooperative.id,
        slug: "second",
        nameZh: "二",
        nameEn: "Two",
        descriptionZh: "",
        descriptionEn: "",
        feeRateBp: 800,
        seasonZh: "",
        seasonEn: "",
      },
    });
    expect((await edit(cookie, otherProduct.id, skuForm)).status).toBe(404);
  });

  it("keeps another village's products from the coop user: 403 for them, 404 for none, nothing written", async () => {
    const mine = await createShop();
    const theirs = await createShop();
    const cookie = await coopOf(mine.village.id);
    expect((await openEdit(cookie, theirs.product.id)).status).toBe(403);
    expect((await openEdit(cookie, "no-such-product")).status).toBe(404);
    expect((await edit(cookie, theirs.product.id, PRODUCT_FORM)).status).toBe(403);
    expect((await edit(cookie, theirs.product.id, { ...SKU_FORM, code: "STOLEN-1" })).status).toBe(403);
    expect((await edit(cookie, theirs.product.id, { ...SKU_FORM, intent: "sku", skuId: theirs.sku.id })).status).toBe(403);
    expect((await upload(cookie, theirs.product.id, new Blob([png(4, 4)], { type: "image/png" }), "p.png")).status).toBe(403);
    expect(await db.product.findUniqueOrThrow({ where: { id: theirs.product.id } })).toMatchObject({
      nameZh: theirs.product.nameZh,
      feeRateBp: theirs.product.feeRateBp,
    });
    expect(await db.sku.findUniqueOrThrow({ where: { id: theirs.sku.id } })).toMatchObject({
      code: theirs.sku.code,
      priceFen: theirs.sku.priceFen,
    });
    expect(await db.sku.count({ where: { code: "STOLEN-1" } })).toBe(0);
    expect(await db.productImage.count({ where: { productId: theirs.product.id } })).toBe(0);
    expect(await storedFiles()).toEqual([]);

    const employee = (await signedIn(["employee"], mine.village.id)).cookie;
    expect((await openEdit(employee, mine.product.id)).status).toBe(403);
    expect((await createProduct(employee, PRODUCT_FORM)).status).toBe(403);
  });
});

describe("product photos", () => {
  it("stores a real PNG under its content hash with its pixel size, serves it for a year, and shows it in the shop", async () => {
    const shop = await createShop();
    const cookie = await coopOf(shop.village.id);
    const bytes = png(3, 2);
    const uploaded = await upload(cookie, shop.product.id, new Blob([bytes], { type: "image/png" }), "orchard.png", {
      altZh: "桃园",
      altEn: "The orchard",
    });
    expect(uploaded).toMatchObject({ status: 200, data: { done: "cooperative.products.uploaded" } });

    const name = `${createHash("sha256").update(bytes).digest("hex")}.png`;
    const image = await db.productImage.findFirstOrThrow({ where: { productId: shop.product.id } });
    expect(image).toMatchObject({ path: `/uploads/products/${name}`, width: 3, height: 2, altZh: "桃园", altEn: "The orchard" });
    const stored = await db.storedFile.findUniqueOrThrow({ where: { key: `products/${name}` } });
    expect(Buffer.from(stored.bytes).equals(bytes)).toBe(true);

    const served = await photoLoader({ request: new Request(`http://localhost${image.path}`), params: { file: name }, context: {} });
    expect(served.status).toBe(200);
    expect(served.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    for (const file of ["../../secret.png", `${name}.part`, "nope.png"]) {
      expect(
        (await outcome(() => photoLoader({ request: new Request("http://localhost/"), params: { file }, context: {} }))).status,
        file,
      ).toBe(404);
    }

    await db.productImage.create({
      data: {
        productId: shop.product.id,
        path: "/images/peaches.svg",
        altZh: "桃",
        altEn: "Peaches",
        width: 640,
        height: 480,
        sortOrder: -5,
      },
    });
    expect((await getProductPage(shop.product.slug))?.images.map((i) => i.path)).toEqual(["/images/peaches.svg", image.path]);
    expect(await edit(cookie, shop.product.id, { intent: "photo-first", imageId: image.id })).toMatchObject({ status: 200 });
    expect((await getProductPage(shop.product.slug))?.images[0]).toEqual({
      path: image.path,
      altZh: "桃园",
      altEn: "The orchard",
      width: 3,
      height: 2,
    });
  });

  it("refuses a text file named .png and a file over the limit, writing nothing", async () => {
    const shop = await createShop();
    const cookie = await coopOf(shop.village.id);
    const fake = await upload(cookie, shop.product.id, new Blob(["this is not a picture at all"], { type: "image/png" }), "photo.png");
    expect(fake.status).toBe(422);
    expect(fieldErrors(fake)).toEqual({ photo: ["cooperative.products.errors.notAnImage"] });

    const header = png(2, 2);
    const huge = new Uint8Array(MAX_PHOTO_BYTES + 1);
    huge.set(header);
    for (const streamed of [false, true]) {
      const tooBig = await upload(cookie, shop.product.id, new Blob([huge], { type: "image/png" }), "huge.png", {}, streamed);
      expect(tooBig.status, `streamed: ${streamed}`).toBe(413);
      expect(fieldErrors(tooBig)).toEqual({ photo: ["cooperative.products.errors.tooBig"] });
    }

    const empty = await upload(cookie, shop.product.id, new Blob([], { type: "application/octet-stream" }), "");
    expect(empty.status).toBe(422);

    expect(await db.productImage.count({ where: { productId: shop.product.id } })).toBe(0);
    expect(await storedFiles()).toEqual([]);
  });

  it("removes a photo only once confirmed, and its file once no photo uses it", async () => {
    const shop = await createShop();
    const cookie = await coopOf(shop.village.id);
    const bytes = png(5, 7);
    await upload(cookie, shop.product.id, new Blob([bytes], { type: "image/png" }), "a.png");
    await upload(cookie, shop.product.id, new Blob([bytes], { type: "image/png" }), "same-again.png");
    const [first, second] = await db.productImage.findMany({ where: { productId: shop.product.id }, orderBy: { sortOrder: "asc" } });
    expect(first!.path).toBe(second!.path);
    expect(await storedFiles()).toHaveLength(1);

    const unconfirmed = await edit(cookie, shop.product.id, { intent: "photo-remove", imageId: first!.id });
    expect(unconfirmed.status).toBe(422);
    expect(fieldErrors(unconfirmed)).toEqual({ confirm: ["errors.confirmRequired"] });
    expect(await db.productImage.count({ where: { productId: shop.product.id } })).toBe(2);

    expect(await edit(cookie, shop.product.id, { intent: "photo-remove", imageId: first!.id, confirm: "yes" })).toMatchObject({
      status: 200,
      data: { done: "cooperative.products.removed" },
    });
    expect(await storedFiles()).toHaveLength(1);
    expect(await edit(cookie, shop.product.id, { intent: "photo-remove", imageId: second!.id, confirm: "yes" })).toMatchObject({
      status: 200,
    });
    expect(await storedFiles()).toEqual([]);
    expect(await db.productImage.count({ where: { productId: shop.product.id } })).toBe(0);
    expect((await edit(cookie, shop.product.id, { intent: "photo-remove", imageId: second!.id, confirm: "yes" })).status).toBe(404);
    const name = path.basename(second!.path);
    expect(
      (await outcome(() => photoLoader({ request: new Request(`http://localhost${second!.path}`), params: { file: name }, context: {} })))
        .status,
    ).toBe(404);
  });
});

describe("the anonymous page cache", () => {
  it("shows a product edit on the next anonymous visit, within the cache's lifetime", async () => {
    const shop = await createShop();
    const cookie = await coopOf(shop.village.id);
    const app = express();
    app.use(anonymousPageCache({ ttlMs: 60 * 60 * 1000, paths: /^\/products\// }));
    app.get("/products/:slug", (req, res, next) => {
      getProductPage(req.params.slug)
        .then((page) => res.set("Cache-Control", "public").type("html").send(`<h1>${page?.nameZh}</h1>`))
        .catch(next);
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const visit = async () => {
        const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/products/${shop.product.slug}`);
        return { cache: response.headers.get("X-Page-Cache"), body: await response.text() };
      };
      expect(await visit()).toEqual({ cache: null, body: "<h1>无公害桃</h1>" });
      expect(await visit()).toEqual({ cache: "hit", body: "<h1>无公害桃</h1>" });
      expect(await edit(cookie, shop.product.id, { ...PRODUCT_FORM, slug: shop.product.slug, nameZh: "岸上水蜜桃" })).toMatchObject({
        status: 200,
      });
      expect(await visit()).toEqual({ cache: null, body: "<h1>岸上水蜜桃</h1>" });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
