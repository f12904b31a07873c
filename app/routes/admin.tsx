import { consoleLayout, type ConsoleLink } from "~/components/console";

const LINKS: readonly ConsoleLink[] = [
  { to: "/admin", label: "consoleNav.admin.home", end: true },
  { to: "/admin/users", label: "consoleNav.admin.users" },
  { to: "/admin/units", label: "consoleNav.admin.units" },
  { to: "/admin/villages", label: "consoleNav.admin.villages" },
  { to: "/admin/settings", label: "consoleNav.admin.settings" },
  { to: "/admin/audit", label: "consoleNav.admin.audit" },
];

const layout = consoleLayout("nav.admin", LINKS);

export default layout.Layout;
export const ErrorBoundary = layout.ErrorBoundary;
