// Every page tells search engines (and Lighthouse's SEO audit) what it is: a title and one description, in the
// reader's language, from the catalog the root loader named; a product page describes the product.
import type { MetaDescriptor } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import type { Locale } from "~/i18n/i18n";
import { catalogs, pageCatalogFor } from "~/i18n/i18n.server";
import { meta as homeMeta } from "~/routes/_index";
import { meta as orderMeta } from "~/routes/orders.$number";
import { meta as productMeta } from "~/routes/products.$slug";

type MetaArgs = Parameters<typeof homeMeta>[0];

function metaArgs(locale: Locale, pathname: string, data: unknown): MetaArgs {
  const root = { id: "root", data: { locale, catalog: pageCatalogFor(locale, pathname) } };
  return { data, matches: [root], params: {}, location: { pathname }, error: undefined } as unknown as MetaArgs;
}

const descriptions = (tags: MetaDescriptor[]) => tags.filter((tag) => "name" in tag && tag.name === "description");

describe("page meta", () => {
  it.each(["zh", "en"] as const)("gives every page the shop's tagline as its description (%s)", (locale) => {
    const tags = homeMeta(metaArgs(locale, "/", undefined));
    expect(descriptions(tags)).toEqual([{ name: "description", content: catalogs[locale].app.tagline }]);
    const order = orderMeta(metaArgs(locale, "/orders/AS1", undefined) as never);
    expect(descriptions(order)).toEqual([{ name: "description", content: catalogs[locale].app.tagline }]);
  });

  it("describes a product page by the product, once, in the reader's language", () => {
    const product = { nameZh: "桃", nameEn: "Peaches", descriptionZh: "岸上村的水蜜桃", descriptionEn: "Anshang's juicy peaches" };
    const zh = productMeta(metaArgs("zh", "/products/peaches", product) as never);
    const en = productMeta(metaArgs("en", "/products/peaches", product) as never);
    expect(descriptions(zh)).toEqual([{ name: "description", content: "岸上村的水蜜桃" }]);
    expect(descriptions(en)).toEqual([{ name: "description", content: "Anshang's juicy peaches" }]);
    expect(en[0]).toEqual({ title: `Peaches · ${catalogs.en.app.name}` });
  });
});
