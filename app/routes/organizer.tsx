import { consoleLayout, type ConsoleLink } from "~/components/console";

const LINKS: readonly ConsoleLink[] = [
  { to: "/organizer", label: "consoleNav.organizer.home", end: true },
  { to: "/organizer/group-orders/new", label: "consoleNav.organizer.new" },
  { to: "/organizer/roster", label: "consoleNav.organizer.roster" },
  { to: "/organizer/progress", label: "consoleNav.organizer.progress" },
];

const layout = consoleLayout("nav.organizer", LINKS);

export default layout.Layout;
export const ErrorBoundary = layout.ErrorBoundary;
