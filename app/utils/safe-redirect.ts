const DEFAULT_REDIRECT = "/";

/**
 * Keeps `redirectTo` on this site: only same-origin paths pass, so a crafted
 * `/login?redirectTo=https://evil.example` cannot bounce a freshly signed-in user elsewhere.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT) {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
