import { consoleLayout, type ConsoleLink } from "~/components/console";

const LINKS: readonly ConsoleLink[] = [
  { to: "/team", label: "consoleNav.team.home", end: true },
  { to: "/team/households", label: "consoleNav.team.households" },
  { to: "/team/alerts", label: "consoleNav.team.alerts" },
  { to: "/team/dashboard", label: "consoleNav.team.dashboard" },
  { to: "/team/reports", label: "consoleNav.team.reports" },
  { to: "/team/settings", label: "consoleNav.team.settings" },
];

const layout = consoleLayout("nav.team", LINKS);

export default layout.Layout;
export const ErrorBoundary = layout.ErrorBoundary;
