import { consoleLayout, type ConsoleLink } from "~/components/console";

const LINKS: readonly ConsoleLink[] = [
  { to: "/admin", label: "consoleNav.admin.home", end: true },
  { to: "/admin/users", label: "consoleNav.admin.users" },
];

const layout = consoleLayout("nav.admin", LINKS);

export default layout.Layout;
export const ErrorBoundary = layout.ErrorBoundary;
