import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOptionalUser } from "~/auth/guards.server";
import { Countdown } from "~/components/countdown";
import { PageHeader } from "~/components/page";
import { hasAnonymousCart } from "~/domain/shop/cart.server";
import { listProductsForHome } from "~/domain/shop/catalog.server";
import { listOpenGroupOrdersForUnit } from "~/domain/group-orders/queries.server";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { catalogCacheControl } from "~/utils/cache-control";
import { formatDateTime } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("nav.home");

export async function loader({ request }: LoaderFunctionArgs) {
  // Open to everyone; signed-in employees also see their unit's group orders.
  const user = await getOptionalUser(request);
  const [products, groupOrders] = await Promise.all([
    listProductsForHome(),
    user?.unitId ? listOpenGroupOrdersForUnit(user.unitId) : Promise.resolve([]),
  ]);
  return data(
    {
      user: user && { name: user.name, hasUnit: Boolean(user.unitId) },
      products,
      groupOrders: groupOrders.map(({ id, title, closesAt, pickupPoint, items }) => ({
        id,
        title,
        closesAt,
        pickupPoint,
        items: items.map(({ sku }) => sku),
      })),
      now: new Date(),
    },
    {
      headers: {
        "Cache-Control": catalogCacheControl(user !== null || (await hasAnonymousCart(request))),
        Vary: "Cookie, Accept-Language",
      },
    },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export default function Home() {
  const t = useT();
  const locale = useLocale();
  const { user, products, groupOrders, now } = useLoaderData<typeof loader>();
  const tag = languageTag(locale);
  return (
    <div className="space-y-8">
      {user ? (
        <PageHeader title={t("home.welcome", { name: user.name })} body={t("home.employeeBody")} />
      ) : (
        <PageHeader title={t("home.guestTitle")} body={t("home.guestBody")} />
      )}
      {user?.hasUnit ? (
        <section aria-labelledby="group-orders">
          <h2 id="group-orders" className="text-lg font-semibold">
            {t("home.employeeTitle")}
          </h2>
          {groupOrders.length === 0 ? (
            <p className="mt-2 text-stone-600">{t("home.noOpenGroupOrders")}</p>
          ) : (
            <ul className="mt-3 grid gap-3 sm:grid-cols-2">
              {groupOrders.map((group) => (
                <li key={group.id} className="rounded-lg border border-brand-100 bg-brand-50 p-4">
                  <p className="font-medium">{group.title}</p>
                  <p className="mt-1 text-sm">
                    <Countdown until={group.closesAt} serverNow={now} />
                  </p>
                  <p className="text-sm text-stone-600">{t("home.groupOrderCloses", { date: formatDateTime(group.closesAt, tag) })}</p>
                  <p className="text-sm text-stone-600">{t("home.pickupAt", { place: group.pickupPoint })}</p>
                  <p className="mt-1 text-sm">
                    {t("home.offered")}{" "}
                    {group.items.map((sku, i) => (
                      <span key={i}>
                        {i > 0 ? (locale === "en" ? ", " : "、") : null}
                        <Link to={`/products/${sku.product.slug}`} className="text-brand-700 underline">
                          {locale === "en" ? `${sku.product.nameEn} ${sku.nameEn}` : `${sku.product.nameZh}${sku.nameZh}`}
                        </Link>{" "}
                        {formatFen(sku.priceFen)}
                      </span>
                    ))}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <section aria-labelledby="products">
        <h2 id="products" className="text-lg font-semibold">
          {t("home.products")}
        </h2>
        <ul className="mt-3 grid gap-4 sm:grid-cols-2">
          {products.map((product) => (
            <li key={product.id} className="overflow-hidden rounded-lg border border-stone-200 bg-white hover:border-brand-500">
              <Link to={`/products/${product.slug}`} className="block">
                {product.image ? (
                  <img
                    src={product.image.path}
                    alt={locale === "en" ? product.image.altEn : product.image.altZh}
                    width={product.image.width}
                    height={product.image.height}
                    loading="lazy"
                    className="aspect-[4/3] w-full object-cover"
                  />
                ) : null}
                <div className="p-4">
                  <p className="font-medium">{locale === "en" ? product.nameEn : product.nameZh}</p>
                  <p className="text-sm text-stone-600">{locale === "en" ? product.seasonEn : product.seasonZh}</p>
                  {product.fromPriceFen != null ? (
                    <p className="mt-1 font-semibold text-brand-700">{t("home.fromPrice", { price: formatFen(product.fromPriceFen) })}</p>
                  ) : null}
                </div>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      {!user ? (
        <p>
          <Link to="/login" className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white">
            {t("nav.signIn")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
