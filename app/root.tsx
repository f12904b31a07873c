import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
  type ClientLoaderFunctionArgs,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { allowAnonymous, getOptionalUser } from "~/auth/guards.server";
import { ErrorPage, errorRequestId } from "~/components/error-page";
import { Layout } from "~/components/layout";
import { cartItemCount, cartOwner } from "~/domain/shop/cart.server";
import { catalogAt, consoleSectionsFor, languageTag, loadCatalog, type CatalogHref, type Locale } from "~/i18n/i18n";
import { I18nProvider } from "~/i18n/react";
import { getLocale, pageCatalogFor } from "~/i18n/i18n.server";
import { useNonce } from "~/utils/nonce";
import stylesheet from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "岸上村助农商城 · Anshang Village Shop" }];

export async function loader({ request }: LoaderFunctionArgs) {
  allowAnonymous(request);
  const locale = await getLocale(request);
  // The shell must render even when the database is down, so pages can say so in the reader's language.
  let databaseDown = false;
  const user = await getOptionalUser(request).catch((error: unknown) => {
    console.error("Could not read the session user:", error);
    databaseDown = true;
    return null;
  });
  // A signed-in user's count came with the session look-up; an anonymous cart is counted by its cookie.
  const cartCount = databaseDown ? 0 : (user?.cartCount ?? (await cartItemCount(await cartOwner(request, null))));
  return {
    locale,
    catalog: pageCatalogFor(locale, new URL(request.url).pathname),
    databaseDown,
    cartCount,
    user: user && { id: user.id, name: user.name, roles: user.roles },
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

// A page's catalog is not in its data but a file the browser keeps (decision 28): one the browser has not loaded yet
// (another language, another console's sections) is loaded before the page renders. The first page's catalog is
// loaded before hydration (entry.client.tsx).
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const data = await serverLoader<typeof loader>();
  await loadCatalog(data.catalog);
  return data;
}

// Refetch the root only after a form submission (sign-in, language) or when the next page belongs to another console,
// which needs other sections of the catalog.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate, currentUrl, nextUrl }) =>
  formMethod ? defaultShouldRevalidate : consoleSectionsFor(currentUrl.pathname) !== consoleSectionsFor(nextUrl.pathname);

function Document({ locale, catalog, children }: { locale: Locale; catalog?: CatalogHref; children: ReactNode }) {
  const nonce = useNonce();
  // Marks the moment the page answers like an app: the browser tests wait for it before they type, since a field
  // filled before hydration may not be what the form's scripts (conform) then hold and submit.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang={languageTag(locale)} data-catalog={catalog}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { locale, catalog, user, databaseDown, cartCount } = useLoaderData<typeof clientLoader>();
  return (
    <Document locale={locale} catalog={catalog}>
      {/* Kept by the loader on the server, and loaded in the browser before hydration or by clientLoader. */}
      <I18nProvider locale={locale} messages={catalogAt(catalog)!}>
        <Layout user={user} locale={locale} databaseDown={databaseDown} cartCount={cartCount}>
          <Outlet />
        </Layout>
      </I18nProvider>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRouteLoaderData<typeof loader>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  // Without the root data (the root loader itself failed) or its catalog, both languages are shown.
  const messages = catalogAt(root?.catalog);
  if (!root || !messages) {
    return (
      <Document locale="zh">
        <ErrorPage status={status} bilingual requestId={errorRequestId(error)} />
      </Document>
    );
  }
  return (
    <Document locale={root.locale} catalog={root.catalog}>
      <I18nProvider locale={root.locale} messages={messages}>
        <Layout user={root.user} locale={root.locale} databaseDown={root.databaseDown} cartCount={root.cartCount}>
          <ErrorPage status={status} databaseDown={root.databaseDown} requestId={errorRequestId(error)} />
        </Layout>
      </I18nProvider>
    </Document>
  );
}
