/**
 * Catalog pages are the same for every visitor of a language who has no session and no cart (the header shows the
 * cart), so those copies may be cached briefly — and are, by the server's page cache; anything else is private.
 */
export function catalogCacheControl(personal: boolean) {
  return personal ? "private, no-store" : "public, max-age=5, stale-while-revalidate=30";
}
