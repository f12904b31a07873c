// A DomainError that reaches the edge of a loader or action (a page of another village, an order that is gone)
// becomes the error page with the error's status, not a 500; so does a database that cannot be reached (503). Done once, for every route module of the server
// build, so no route wraps its calls; actions that show refusals on their form catch them first (forms.server.ts).
// Any other exception is logged with the request's id and route and answered as a 500 that carries the id, so the
// error page can show it and whoever reports the error can be matched to its log lines.
import { data, type ServerBuild } from "@remix-run/node";
import { databaseUnavailableResponse, isDatabaseUnavailable } from "~/db/unavailable.server";
import { isDomainError, type DomainError } from "~/domain/errors";
import { logContext, logger } from "~/utils/logger.server";
import { plainTextResponse } from "./responses.server";

export function responseForDomainError(error: DomainError) {
  return plainTextResponse(error.status, error.code);
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
      const requestId = logContext()?.requestId;
      if (!(error instanceof Error) || !requestId) throw error;
      logger().error({ err: error }, "unexpected error");
      throw data({ requestId }, { status: 500 });
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
