import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadCatalog, type CatalogHref } from "~/i18n/i18n";

function hydrate() {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
}

// The page was rendered with its catalog, which is not in its data (decision 28): the browser needs the same texts
// before it hydrates, or the first render would not match. The preload the answer's Link header asked for has usually
// fetched it by now. If it cannot be loaded, the rejection is the console's error and the page stays as the server
// rendered it, whose links and forms work without scripts.
const catalog = document.documentElement.dataset.catalog as CatalogHref | undefined;
if (catalog) void loadCatalog(catalog).then(hydrate);
else hydrate();
