import { z } from "zod";

const PageQuery = z.object({
  q: z.string().max(100).catch(""),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/** `?q=…&page=…` from a URL, falling back to the first page and no query on anything malformed. */
export function parsePageQuery(request: Request) {
  const params = new URL(request.url).searchParams;
  return PageQuery.parse({ q: params.get("q") ?? "", page: params.get("page") ?? 1 });
}
