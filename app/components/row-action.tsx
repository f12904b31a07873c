import { useFetcher } from "@remix-run/react";
import { useTranslateRef } from "~/i18n/react";
import type { FormAnswer } from "~/utils/forms";
import { SubmitButton } from "./forms";

/**
 * One action on one thing (close this group order, pack this order, acknowledge this alert): its own fetcher, so
 * it shows its own pending state and its own answer without disabling the rest of the page. With `confirm`, the
 * button opens a short confirmation first (a disclosure, so it works by keyboard and without JavaScript too) and
 * the form says `confirm=yes`, which the server requires for it. An action that makes its own button go away (close
 * a group order) shares a `fetcherKey` with a <FetcherOutcome> placed where the answer should stay visible.
 */
export function RowAction({
  action,
  intent,
  fields = {},
  label,
  pendingLabel,
  confirm,
  confirmLabel,
  variant = "secondary",
  fetcherKey,
}: {
  action?: string;
  intent: string;
  fields?: Record<string, string>;
  label: string;
  pendingLabel: string;
  confirm?: string;
  confirmLabel?: string;
  variant?: "secondary" | "danger";
  fetcherKey?: string;
}) {
  const fetcher = useFetcher<FormAnswer>(fetcherKey ? { key: fetcherKey } : undefined);
  // A fetcher shared through `fetcherKey` is pending for the row that sent it, not for every row sharing it.
  const sent = fetcher.formData;
  const sentByThis = !sent || (sent.get("intent") === intent && Object.entries(fields).every(([name, value]) => sent.get(name) === value));
  const pending = fetcher.state !== "idle" && sentByThis;
  const form = (submitLabel: string, submitVariant: "secondary" | "danger") => (
    <fetcher.Form method="post" action={action} className="inline-flex">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirm ? <input type="hidden" name="confirm" value="yes" /> : null}
      <SubmitButton label={submitLabel} pendingLabel={pendingLabel} pending={pending} variant={submitVariant} />
    </fetcher.Form>
  );
  return (
    <div className="inline-flex flex-col gap-1">
      {confirm ? (
        <details className="group">
          <summary className="cursor-pointer list-none rounded-md border border-stone-300 bg-white px-3 py-2 text-sm hover:border-brand-500">
            {label}
          </summary>
          <div className="mt-2 max-w-sm space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
            <p>{confirm}</p>
            {form(confirmLabel ?? label, "danger")}
          </div>
        </details>
      ) : (
        form(label, variant)
      )}
      {fetcherKey ? null : <Outcome answer={fetcher.state === "idle" ? fetcher.data : undefined} />}
    </div>
  );
}

function Outcome({ answer, withErrors = true }: { answer: FormAnswer | undefined; withErrors?: boolean }) {
  const translate = useTranslateRef();
  const errors = withErrors ? Object.values(answer?.result.error ?? {}).flatMap((list) => list ?? []) : [];
  if (errors.length > 0) {
    return (
      <p role="alert" className="text-sm text-red-700">
        {errors.map((error) => translate(error)).join(" ")}
      </p>
    );
  }
  if (!answer?.done) return null;
  return (
    <p role="status" className="text-sm text-green-800">
      {translate(answer.done)}
    </p>
  );
}

/**
 * The answer of the fetcher `fetcherKey`, shown where it outlives the form that sent it. A form that shows its own
 * field errors passes `withErrors={false}`.
 */
export function FetcherOutcome({ fetcherKey, withErrors }: { fetcherKey: string; withErrors?: boolean }) {
  const fetcher = useFetcher<FormAnswer>({ key: fetcherKey });
  return <Outcome answer={fetcher.state === "idle" ? fetcher.data : undefined} withErrors={withErrors} />;
}
