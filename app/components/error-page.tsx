import { Link } from "@remix-run/react";
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

/** The one error page: 404, 403 and 5xx, in the reader's language or, when that is unknown, in both. */
export function ErrorPage({
  status,
  databaseDown = false,
  bilingual = false,
}: {
  status: number;
  databaseDown?: boolean;
  bilingual?: boolean;
}) {
  if (!bilingual) return <TranslatedErrorPage status={status} databaseDown={databaseDown} />;
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
      <a className="mt-8 inline-block text-brand-700 underline" href="/">
        {errors.zh.backHome} · {errors.en.backHome}
      </a>
    </main>
  );
}

function TranslatedErrorPage({ status, databaseDown }: { status: number; databaseDown: boolean }) {
  const t = useT();
  const texts = textsFor((key) => t(`errors.${key}`), status, databaseDown);
  return (
    <div className="py-8">
      <p className="text-5xl font-bold text-brand-600">{status}</p>
      <h1 className="mt-4 text-2xl font-semibold">{texts.title}</h1>
      <p className="mt-2 text-stone-600">{texts.body}</p>
      <Link className="mt-6 inline-block text-brand-700 underline" to="/">
        {t("errors.backHome")}
      </Link>
    </div>
  );
}
