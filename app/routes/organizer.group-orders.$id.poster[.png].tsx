import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { config } from "~/config.server";
import { posterContent } from "~/domain/posters/content.server";
import { groupOrderPoster } from "~/domain/posters/render.server";
import { isLocale } from "~/i18n/i18n";
import { invariantResponse } from "~/utils/responses.server";

// The poster as a PNG (?lang=zh|en; &download=1 to save it). Revalidated on every use by its ETag, the hash of
// what it shows, so a browser keeps a poster exactly as long as the group order still looks like it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const query = new URL(request.url).searchParams;
  const locale = query.get("lang") ?? "zh";
  invariantResponse(isLocale(locale), "lang must be zh or en", 400);
  const content = await posterContent(user, params.id ?? "", config().appUrl);
  const poster = await groupOrderPoster(content, locale);
  const etag = `"${poster.key}"`;
  const headers = { ETag: etag, "Cache-Control": "private, no-cache", "X-Poster-Cache": poster.cached ? "hit" : "miss" };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  const name = `group-order-${content.groupOrderId}-${locale}.png`;
  return new Response(new Uint8Array(poster.png), {
    headers: {
      ...headers,
      "Content-Type": "image/png",
      "Content-Length": String(poster.png.length),
      "Content-Disposition": query.get("download") === "1" ? `attachment; filename="${name}"` : `inline; filename="${name}"`,
    },
  });
}
