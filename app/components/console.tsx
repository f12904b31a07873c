import { NavLink, Outlet, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { MessageKey } from "~/i18n/i18n";
import { useT } from "~/i18n/react";
import { ErrorPage, errorRequestId } from "./error-page";

export type ConsoleLink = { to: string; label: MessageKey; end?: boolean };

/** A console's sections as a row of tabs that scrolls sideways on a phone rather than widening the page. */
export function ConsoleNav({ name, links }: { name: MessageKey; links: readonly ConsoleLink[] }) {
  const t = useT();
  return (
    <nav aria-label={t("consoleNav.label", { console: t(name) })} className="-mx-4 mb-4 overflow-x-auto px-4 print:hidden">
      <ul className="flex min-w-max gap-1 border-b border-stone-200 text-sm">
        {links.map((link) => (
          <li key={link.to}>
            <NavLink
              to={link.to}
              end={link.end}
              className={({ isActive }) =>
                `inline-block border-b-2 px-3 py-2 ${isActive ? "border-brand-600 font-semibold text-brand-700" : "border-transparent text-stone-700 hover:text-brand-700"}`
              }
            >
              {t(link.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * What a console shows when one of its pages fails: the console's own tabs stay, so the reader can go on elsewhere
 * in it, and the error page says what happened in their language.
 */
export function ConsoleErrorBoundary({ name, links }: { name: MessageKey; links: readonly ConsoleLink[] }) {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <>
      <ConsoleNav name={name} links={links} />
      <ErrorPage status={status} requestId={errorRequestId(error)} />
    </>
  );
}

/** The layout route of a console (/coop, /team, /organizer, /admin): its tabs above every page, and its error boundary. */
export function consoleLayout(name: MessageKey, links: readonly ConsoleLink[]) {
  return {
    Layout: function ConsoleLayout() {
      return (
        <>
          <ConsoleNav name={name} links={links} />
          <Outlet />
        </>
      );
    },
    ErrorBoundary: function ConsoleError() {
      return <ConsoleErrorBoundary name={name} links={links} />;
    },
  };
}
