import { NavLink, Outlet, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useT } from "~/i18n/react";

const SECTIONS = ["orders", "lots", "picking", "payouts", "products"] as const;

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
 * The cooperative console around each of its pages: the sections, reachable from any page on a phone, and a
 * loading sign while a page or a page-level form takes longer than ~300 ms, so stale content (an empty picking list
 * before the chosen group order's arrives) is never shown as if it were the answer. Forms sent through fetchers
 * show their own pending state.
 */
export default function CoopConsole() {
  const t = useT();
  const navigation = useNavigation();
  const busy = useLasting(navigation.state !== "idle", 300);
  return (
    <div className="space-y-4">
      <nav aria-label={t("coop.title")} className="flex flex-wrap gap-2 text-sm print:hidden">
        {SECTIONS.map((section) => (
          <NavLink
            key={section}
            to={`/coop/${section}`}
            className={({ isActive }) =>
              `rounded-md border px-3 py-1.5 ${isActive ? "border-brand-500 bg-brand-50 font-medium text-brand-700" : "border-stone-300 bg-white hover:border-brand-500"}`
            }
          >
            {t(`cooperative.nav.${section}`)}
          </NavLink>
        ))}
      </nav>
      {busy ? (
        <p role="status" className="sticky top-0 z-10 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700 shadow-sm print:hidden">
          {t("cooperative.loading")}
        </p>
      ) : null}
      <div aria-busy={busy || undefined} className={busy ? "opacity-50 transition-opacity" : undefined}>
        <Outlet />
      </div>
    </div>
  );
}
