import { Form, Link, NavLink, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import type { Role } from "~/db/generated/enums";
import type { Locale, MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/react";

type LayoutUser = { id: string; name: string; roles: Role[] } | null;

const NAV: { to: string; label: MessageKey; roles: Role[] | "everyone" }[] = [
  { to: "/", label: "nav.shop", roles: "everyone" },
  { to: "/organizer", label: "nav.organizer", roles: ["organizer"] },
  { to: "/coop", label: "nav.coop", roles: ["coop"] },
  { to: "/team", label: "nav.team", roles: ["team"] },
  { to: "/admin", label: "nav.admin", roles: ["admin"] },
  { to: "/bureau", label: "nav.bureau", roles: ["bureau"] },
];

/** Phone-first shell: a compact header with a menu that opens without JavaScript (<details>). */
export function Layout({
  user,
  locale,
  databaseDown,
  cartCount,
  children,
}: {
  user: LayoutUser;
  locale: Locale;
  databaseDown: boolean;
  cartCount: number;
  children: ReactNode;
}) {
  const t = useT();
  const navigation = useNavigation();
  const busy = useLasting(navigation.state !== "idle", 300);
  const links = NAV.filter((item) => item.roles === "everyone" || (user && item.roles.some((r) => user.roles.includes(r))));
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only">
        {t("app.skipToContent")}
      </a>
      <header className="border-b border-stone-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-5xl items-center gap-3 px-4 py-3">
          <Link to="/" className="flex items-center gap-2 font-semibold text-brand-700">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>{t("app.name")}</span>
          </Link>
          <nav aria-label={t("nav.menu")} className="ml-auto hidden items-center gap-4 text-sm md:flex">
            {links.map((item) => (
              <NavItem key={item.to} to={item.to} label={t(item.label)} />
            ))}
            <AccountLinks user={user} />
            <LanguageSwitch locale={locale} />
          </nav>
          <CartLink count={cartCount} />
          <details className="relative md:hidden">
            <summary className="cursor-pointer list-none rounded border border-stone-300 px-3 py-1 text-sm">{t("nav.menu")}</summary>
            <nav
              aria-label={t("nav.menu")}
              className="absolute right-0 z-10 mt-2 flex w-48 flex-col gap-3 rounded border border-stone-200 bg-white p-4 text-sm shadow-lg"
            >
              {links.map((item) => (
                <NavItem key={item.to} to={item.to} label={t(item.label)} />
              ))}
              <AccountLinks user={user} />
              <LanguageSwitch locale={locale} />
            </nav>
          </details>
        </div>
      </header>
      {databaseDown ? (
        <p role="alert" className="bg-red-50 px-4 py-2 text-center text-sm text-red-800">
          {t("errors.databaseDownBody")}
        </p>
      ) : null}
      {busy ? <NavigationProgress /> : null}
      <main
        id="main"
        aria-busy={busy || undefined}
        className={`mx-auto max-w-5xl px-4 py-6 ${busy ? "opacity-60 transition-opacity" : ""}`}
      >
        {children}
      </main>
    </>
  );
}

/** Outside the menu, so a buyer on a phone sees their cart without opening anything. */
function CartLink({ count }: { count: number }) {
  const t = useT();
  return (
    <NavLink
      to="/cart"
      aria-label={count > 0 ? t("shop.cart.navWithCount", { count }) : undefined}
      className={({ isActive }) =>
        `ml-auto flex items-center gap-1.5 rounded border px-2.5 py-1 text-sm md:ml-0 ${isActive ? "border-brand-500 font-semibold text-brand-700" : "border-stone-300 text-stone-700 hover:border-brand-500"}`
      }
    >
      {t("shop.cart.nav")}
      {count > 0 ? <span className="rounded-full bg-brand-700 px-1.5 text-xs font-semibold leading-5 text-white">{count}</span> : null}
    </NavLink>
  );
}

function NavItem({ to, label }: { to: string; label: string }) {
  return (
    <NavLink
      to={to}
      end={to === "/"}
      className={({ isActive }) => (isActive ? "font-semibold text-brand-700" : "text-stone-700 hover:text-brand-700")}
    >
      {label}
    </NavLink>
  );
}

function AccountLinks({ user }: { user: LayoutUser }) {
  const t = useT();
  if (!user) {
    return (
      <Link to="/login" className="text-stone-700 hover:text-brand-700">
        {t("nav.signIn")}
      </Link>
    );
  }
  return (
    <>
      <NavItem to="/orders" label={t("nav.orders")} />
      <NavItem to="/account" label={user.name} />
      <Form method="post" action="/logout">
        <button type="submit" className="text-stone-700 hover:text-brand-700">
          {t("nav.signOut")}
        </button>
      </Form>
    </>
  );
}

function LanguageSwitch({ locale }: { locale: Locale }) {
  const t = useT();
  const location = useLocation();
  const other: Locale = locale === "zh" ? "en" : "zh";
  return (
    <Form method="post" action="/language">
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        lang={other === "zh" ? "zh-CN" : "en"}
        aria-label={t("language.switchTo", { language: t(`language.${other}`) })}
        className="rounded border border-stone-300 px-2 py-0.5 text-stone-700 hover:border-brand-500"
      >
        {t(`language.${other}`)}
      </button>
    </Form>
  );
}

/** True once `active` has lasted `delayMs`: a quick page change shows nothing, a slow one says it is working. */
function useLasting(active: boolean, delayMs: number) {
  const [lasting, setLasting] = useState(false);
  useEffect(() => {
    if (!active) {
      setLasting(false);
      return;
    }
    const timer = setTimeout(() => setLasting(true), delayMs);
    return () => clearTimeout(timer);
  }, [active, delayMs]);
  return lasting;
}

/**
 * Shown once a page change or a page-level form has taken ~300 ms, so the page being left (an empty list before the
 * chosen one arrives) is never read as the answer. Fetcher forms show their own state.
 */
function NavigationProgress() {
  const t = useT();
  return (
    <div className="sticky top-0 z-20 print:hidden">
      <div className="h-1 w-full animate-pulse bg-brand-500" />
      <p role="status" className="mx-auto max-w-5xl px-4 py-1 text-sm text-brand-700">
        {t("common.loading")}
      </p>
    </div>
  );
}
