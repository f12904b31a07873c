import { consoleLayout, type ConsoleLink } from "~/components/console";

const LINKS: readonly ConsoleLink[] = [
  { to: "/coop", label: "consoleNav.coop.home", end: true },
  { to: "/coop/orders", label: "consoleNav.coop.orders" },
  { to: "/coop/lots", label: "consoleNav.coop.lots" },
  { to: "/coop/picking", label: "consoleNav.coop.picking" },
  { to: "/coop/payouts", label: "consoleNav.coop.payouts" },
  { to: "/coop/products", label: "consoleNav.coop.products" },
  { to: "/coop/settlements", label: "consoleNav.coop.settlements" },
  { to: "/coop/ratings", label: "consoleNav.coop.ratings" },
];

const layout = consoleLayout("nav.coop", LINKS);

export default layout.Layout;
export const ErrorBoundary = layout.ErrorBoundary;
