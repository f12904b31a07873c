import { Link, isRouteErrorResponse } from "@remix-run/react";
import errors from "~/i18n/areas/errors";
import { useT } from "~/i18n/react";

type ErrorKey = keyof typeof errors.zh;
type Lookup = (key: ErrorKey) => string;

function textsFor(lookup: Lookup, status: number, databaseDown: boolean) {
  if (status === 404) return { title: lookup("notFoundTitle"), body: lookup("notFoundBody") };
  if (status === 403) return { title: lookup("forbiddenTitle"), body: lookup("forbiddenBody") };
  if (status === 400 || status === 422) return { title: lookup("badRequestTitle"), body: lookup("errorBody") };
  if (status === 429) return { title: lookup("tooManyTitle"), body: lookup("tooManyBody") };
  if (status === 503) return { title: lookup("errorTitle"), body: lookup("databaseDownBody") };
  return { title: lookup("errorTitle"), body: lookup(databaseDown ? "databaseDownBody" : "errorBody") };
}

/** The request id a server error was answered with (domain-responses.server.ts), when the error is one. */
export function errorRequestId(error: unknown) {
  if (!isRouteErrorResponse(error) || !error.data || typeof error.data !== "object") return undefined;
  const id = (error.data as { requestId?: unknown }).requestId;
  return typeof id === "string" ? id : undefined;
}

/** The one error page: 404, 403 and 5xx, in the reader's language or, when that is unknown, in both. */
export function ErrorPage({
  status,
  databaseDown = false,
  bilingual = false,
  requestId,
}: {
  status: number;
  databaseDown?: boolean;
  bilingual?: boolean;
  /** Shown so that a reader who reports the error can be matched to its log lines. */
  requestId?: string;
}) {
  if (!bilingual) return <TranslatedErrorPage status={status} databaseDown={databaseDown} requestId={requestId} />;
  const texts = [errors.zh, errors.en].map((catalog) => textsFor((key) => catalog[key], status, databaseDown));
  return (
    <main className="mx-auto max-w-xl p-8">
      <p className="text-5xl font-bold text-brand-600">{status}</p>
      {texts.map((text) => (
        <section key={text.title} className="mt-6">
          <h1 className="text-2xl font-semibold">{text.title}</h1>
          <p className="mt-2 text-stone-600">{text.body}</p>
        </section>
      ))}
      {requestId ? (
        <p className="mt-6 text-sm text-stone-500">
          {errors.zh.reference} · {errors.en.reference}: <code data-testid="request-id">{requestId}</code>
        </p>
      ) : null}
      <a className="mt-8 inline-block text-brand-700 underline" href="/">
        {errors.zh.backHome} · {errors.en.backHome}
      </a>
    </main>
  );
}

function TranslatedErrorPage({ status, databaseDown, requestId }: { status: number; databaseDown: boolean; requestId?: string }) {
  const t = useT();
  const texts = textsFor((key) => t(`errors.${key}`), status, databaseDown);
  return (
    <div className="py-8">
      <p className="text-5xl font-bold text-brand-600">{status}</p>
      <h1 className="mt-4 text-2xl font-semibold">{texts.title}</h1>
      <p className="mt-2 text-stone-600">{texts.body}</p>
      {requestId ? (
        <p className="mt-4 text-sm text-stone-500">
          {t("errors.reference")}: <code data-testid="request-id">{requestId}</code>
        </p>
      ) : null}
      <Link className="mt-6 inline-block text-brand-700 underline" to="/">
        {t("errors.backHome")}
      </Link>
    </div>
  );
}
