// The one way a domain command refuses: it throws a DomainError naming what was wrong (a message key, so both
// languages can say it), the HTTP status that fits, and optionally the form field it is about and the values the
// message needs. Routes never build their own status tables: app/utils/forms.server.ts turns a DomainError into a
// form's reply, and the server build turns one that no action caught into an error page with its status.
import type { MessageKey, MessageParams } from "~/i18n/i18n";

/** 403/404: not yours or not there; 409: the state does not allow it now; 422: the input cannot be accepted. */
export type RefusalStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503;

export type Refusal = { code: MessageKey; field?: string; params?: MessageParams };

type RefusalOptions = { status?: RefusalStatus; field?: string; params?: MessageParams; cause?: unknown };

// The server entry and the Remix build each bundle their own copy of this module, so the server recognises a
// DomainError by this registered symbol rather than by `instanceof`.
const DOMAIN_ERROR = Symbol.for("anshang.DomainError");

export class DomainError extends Error {
  readonly [DOMAIN_ERROR] = true;
  readonly refusals: Refusal[];
  readonly status: RefusalStatus;

  /** One refusal. Without a status: 422 when it names a field, else 409. */
  constructor(code: MessageKey, { status, field, params, cause }: RefusalOptions = {}) {
    super(code, { cause });
    this.name = "DomainError";
    this.refusals = [{ code, ...(field ? { field } : {}), ...(params ? { params } : {}) }];
    this.status = status ?? (field ? 422 : 409);
  }

  /** Every problem found at once (a form with several wrong fields), under one status. */
  static of(refusals: [Refusal, ...Refusal[]], status: RefusalStatus = 422) {
    const error = new DomainError(refusals[0].code, { status, field: refusals[0].field, params: refusals[0].params });
    error.refusals.splice(0, 1, ...refusals);
    return error;
  }

  get code(): MessageKey {
    return this.refusals[0]!.code;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return typeof error === "object" && error !== null && DOMAIN_ERROR in error;
}

/** Shorthands for the refusals every area has. */
export const notFound = (code: MessageKey = "errors.notFoundTitle") => new DomainError(code, { status: 404 });
export const forbidden = (code: MessageKey = "errors.forbiddenTitle") => new DomainError(code, { status: 403 });

/** For building refusals from a list of problems found: true when there is at least one. */
export function isNonEmpty<T>(items: T[]): items is [T, ...T[]] {
  return items.length > 0;
}
