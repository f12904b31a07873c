// A DomainError that reaches the edge of a loader or action (a page of another village, an order that is gone)
// becomes the error page with the error's status, not a 500; so does a database that cannot be reached (503). Done once, for every route module of the server
// build, so no route wraps its calls; actions that show refusals on their form catch them first (forms.server.ts).
import type { ServerBuild } from "@remix-run/node";
import { databaseUnavailableResponse, isDatabaseUnavailable } from "~/db/unavailable.server";
import { isDomainError, type DomainError } from "~/domain/errors";
import { logger } from "./logger.server";

export function responseForDomainError(error: DomainError) {
  return new Response(error.code, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

type Handler = (...args: never[]) => unknown;

function answeringDomainErrors<F extends Handler>(handler: F): F {
  return (async (...args: Parameters<F>) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isDomainError(error)) throw responseForDomainError(error);
      // The database being away is not a fault of this request: 503 with Retry-After, the error page says why.
      if (isDatabaseUnavailable(error)) {
        logger().warn({ err: error }, "database unavailable");
        throw databaseUnavailableResponse();
      }
      throw error;
    }
  }) as F;
}

export function withDomainErrorResponses(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const { loader, action } = route.module;
    routes[id] = {
      ...route,
      module: {
        ...route.module,
        ...(loader ? { loader: answeringDomainErrors(loader) } : {}),
        ...(action ? { action: answeringDomainErrors(action) } : {}),
      },
    };
  }
  return { ...build, routes };
}
