/**
 * Catalog pages are the same for every anonymous visitor, so they may be cached briefly (and are, by the server's
 * page cache); anything rendered for a signed-in user is private.
 */
export function catalogCacheControl(signedIn: boolean) {
  return signedIn ? "private, no-store" : "public, max-age=5, stale-while-revalidate=30";
}
