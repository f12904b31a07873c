import { consoleLayout, type ConsoleLink } from "~/components/console";

const LINKS: readonly ConsoleLink[] = [
  { to: "/bureau", label: "consoleNav.bureau.home", end: true },
  { to: "/bureau/targets", label: "consoleNav.bureau.targets" },
];

const layout = consoleLayout("nav.bureau", LINKS);

export default layout.Layout;
export const ErrorBoundary = layout.ErrorBoundary;
