import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getOptionalUser } from "~/auth/guards.server";
import { AddToCartForm } from "~/components/cart-forms";
import { hasAnonymousCart } from "~/domain/shop/cart.server";
import { notFound } from "~/domain/errors";
import { getProductPage } from "~/domain/shop/catalog.server";
import { villageGroupName } from "~/domain/households/village-groups";
import { formatFen } from "~/domain/money";
import type { StockState } from "~/domain/shop/stock";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate } from "~/utils/dates";
import { catalogCacheControl } from "~/utils/cache-control";
import { pageTitle } from "~/utils/meta";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const product = await getProductPage(params.slug ?? "");
  if (!product) throw notFound();
  // Caches may share the page only while it is the same for every visitor of a language: no session and no cart
  // (the header shows the cart). Vary keys any copy by the cookies and the language asked for.
  const personal = user !== null || (await hasAnonymousCart(request));
  return data(product, {
    headers: {
      "Cache-Control": catalogCacheControl(personal),
      Vary: "Cookie, Accept-Language",
    },
  });
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** The product's name as the title, in the reader's language, and its description for search engines. */
export const meta = pageTitle<typeof loader>(
  (t, product, locale) => (product ? (locale === "en" ? product.nameEn : product.nameZh) : t("errors.notFoundTitle")),
  (_, product, locale) => (product ? (locale === "en" ? product.descriptionEn : product.descriptionZh) : ""),
);

export default function ProductPage() {
  const t = useT();
  const en = useLocale() === "en";
  const product = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const added = searchParams.get("added");
  return (
    <article className="space-y-8">
      <div className="grid gap-6 md:grid-cols-2">
        {product.images.length ? (
          <section aria-label={t("shop.product.photos")} className="grid grid-cols-3 gap-2">
            {product.images.map((image, index) => (
              <img
                key={image.path}
                src={image.path}
                alt={en ? image.altEn : image.altZh}
                width={image.width}
                height={image.height}
                // The first photo is the page's largest element: fetch it at once, the rest when scrolled to.
                loading={index === 0 ? "eager" : "lazy"}
                decoding="async"
                className={`h-auto w-full rounded-lg border border-stone-200 bg-white object-cover ${index === 0 ? "col-span-3 aspect-[4/3]" : "aspect-square"}`}
              />
            ))}
          </section>
        ) : null}
        <div className="space-y-4">
          <header className="space-y-1">
            <h1 className="text-2xl font-semibold">{en ? product.nameEn : product.nameZh}</h1>
            <p className="text-sm font-medium text-leaf-700">
              {t("shop.product.season", { season: en ? product.seasonEn : product.seasonZh })}
            </p>
          </header>
          <p className="text-stone-700">{en ? product.descriptionEn : product.descriptionZh}</p>
          <section aria-labelledby="options">
            <h2 id="options" className="text-lg font-semibold">
              {t("shop.product.options")}
            </h2>
            {product.skus.length === 0 ? (
              <p className="mt-2 text-stone-600">{t("shop.product.noOptions")}</p>
            ) : (
              <ul className="mt-3 space-y-3">
                {product.skus.map((sku) => {
                  const skuName = en ? sku.nameEn : sku.nameZh;
                  return (
                    <li key={sku.id} className="rounded-lg border border-stone-200 bg-white p-4">
                      <div className="flex items-baseline justify-between gap-3">
                        <h3 className="font-medium">{skuName}</h3>
                        <p className="text-lg font-semibold text-brand-700">{formatFen(sku.priceFen)}</p>
                      </div>
                      <StockBadge stock={sku.stock} />
                      {sku.stock.kind === "sold_out" ? null : (
                        <AddToCartForm skuId={sku.id} skuName={skuName} maxPerOrder={sku.maxPerOrder} />
                      )}
                      {added === sku.id ? (
                        <p role="status" className="mt-3 rounded-md border border-green-200 bg-green-50 p-2 text-sm text-green-900">
                          {t("shop.product.added")}{" "}
                          <Link to="/cart" className="font-medium underline">
                            {t("shop.product.goToCart")}
                          </Link>
                        </p>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </div>
      </div>
      <section aria-labelledby="ratings" className="space-y-2">
        <h2 id="ratings" className="text-lg font-semibold">
          {t("purchases.rating.productTitle")}
        </h2>
        <p data-testid="rating-summary">
          {product.ratings.average === null
            ? t("purchases.rating.none")
            : `★ ${t("purchases.rating.summary", { average: product.ratings.average, count: product.ratings.count })}`}
        </p>
        {product.ratings.latest.length ? (
          <ul className="space-y-2" aria-label={t("purchases.rating.latest")}>
            {product.ratings.latest.map((rating, index) => (
              <li key={index} className="rounded-lg border border-stone-200 bg-white p-3 text-sm">
                <p className="text-stone-600">
                  <span aria-label={t("purchases.rating.starsValue", { stars: rating.stars })}>{"★".repeat(rating.stars)}</span> ·{" "}
                  {formatDate(rating.createdAt, languageTag(en ? "en" : "zh"))}
                </p>
                <p className="mt-1 text-stone-800">{rating.comment}</p>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {product.households.length ? (
        <section aria-labelledby="households" className="space-y-3">
          <h2 id="households" className="text-lg font-semibold">
            {t("shop.product.households")}
          </h2>
          <p className="text-stone-600">{t("shop.product.householdsBody")}</p>
          <ul className="grid gap-3 sm:grid-cols-2">
            {product.households.map((household, index) => {
              // A story not yet translated is better shown in Chinese than not at all.
              const story = en ? (household.storyEn ?? household.story) : household.story;
              const storyLang = en && household.storyEn ? "en" : "zh-CN";
              return (
                <li key={index} className="rounded-lg border border-stone-200 bg-white p-4">
                  <p className="font-medium">
                    {household.displayName ??
                      t("shop.product.anonymousHousehold", { group: villageGroupName(household.villageGroup, en ? "en" : "zh") })}
                  </p>
                  <p className="text-sm text-stone-500">{villageGroupName(household.villageGroup, en ? "en" : "zh")}</p>
                  {story ? (
                    <p lang={storyLang} className="mt-2 text-stone-700">
                      {story}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

const stockTone: Record<StockState["kind"], string> = {
  in_stock: "bg-green-100 text-green-900",
  low: "bg-amber-100 text-amber-900",
  sold_out: "bg-stone-200 text-stone-700",
};

function StockBadge({ stock }: { stock: StockState }) {
  const t = useT();
  const label =
    stock.kind === "in_stock"
      ? t("shop.product.inStock")
      : stock.kind === "low"
        ? t("shop.product.lowStock", { count: stock.left })
        : t("shop.product.soldOut");
  return <span className={`mt-1 inline-block rounded-full px-2.5 py-0.5 text-xs font-medium ${stockTone[stock.kind]}`}>{label}</span>;
}
