// A DomainError that reaches the edge of a loader or action (a page of another village, an order that is gone)
// becomes the error page with the error's status, not a 500. Done once, for every route module of the server
// build, so no route wraps its calls; actions that show refusals on their form catch them first (forms.server.ts).
import type { ServerBuild } from "@remix-run/node";
import { isDomainError, type DomainError } from "~/domain/errors";
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
