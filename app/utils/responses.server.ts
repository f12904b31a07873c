/** A short answer in plain text, for refusals that have no page or form of their own to show them on. */
export function plainTextResponse(status: number, text: string) {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** Throws a Response with `status` unless `condition` holds, so loaders read as a list of preconditions. */
export function invariantResponse(condition: unknown, message: string, status = 400): asserts condition {
  if (!condition) throw plainTextResponse(status, message);
}

export function notFound(message = "Not found"): never {
  throw plainTextResponse(404, message);
}

export function forbidden(message = "Forbidden"): never {
  throw plainTextResponse(403, message);
}
