import { Form, useNavigation } from "@remix-run/react";
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import { useT, useTranslateRef } from "~/i18n/react";

/** Field errors arrive as message refs (keys from the shared zod schemas or a DomainError) and are translated here. */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const translate = useTranslateRef();
  if (!errors?.length) return null;
  return (
    <ul id={id} className="mt-1 text-sm text-red-700" aria-live="polite">
      {errors.map((error) => (
        <li key={error}>{translate(error)}</li>
      ))}
    </ul>
  );
}

const inputClass =
  "mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 aria-[invalid=true]:border-red-500";

/** The label, error list and accessibility wiring every field shares; `control` renders the input itself. */
function FieldFrame({
  label,
  hint,
  errors,
  ownId,
  control,
}: {
  label: string;
  hint?: string;
  errors?: string[];
  ownId?: string;
  control: (props: { id: string; "aria-invalid"?: true; "aria-describedby"?: string; className: string }) => ReactNode;
}) {
  const fallbackId = useId();
  const id = ownId ?? fallbackId;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-stone-700">
        {label}
      </label>
      {control({ id, "aria-invalid": errorId ? true : undefined, "aria-describedby": errorId, className: inputClass })}
      {hint && !errorId ? <p className="mt-1 text-xs text-stone-500">{hint}</p> : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

export function Field({
  label,
  hint,
  errors,
  inputProps,
}: {
  label: string;
  hint?: string;
  errors?: string[];
  inputProps: InputHTMLAttributes<HTMLInputElement>;
}) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      errors={errors}
      ownId={inputProps.id}
      control={(wiring) => <input {...inputProps} {...wiring} />}
    />
  );
}

export function SelectField({
  label,
  errors,
  selectProps,
  children,
}: {
  label: string;
  errors?: string[];
  selectProps: SelectHTMLAttributes<HTMLSelectElement>;
  children: ReactNode;
}) {
  return (
    <FieldFrame
      label={label}
      errors={errors}
      ownId={selectProps.id}
      control={(wiring) => (
        <select {...selectProps} {...wiring}>
          {children}
        </select>
      )}
    />
  );
}

/**
 * A submit button that shows the pending label while its form is being submitted. A form sent through a fetcher
 * passes its own `pending`; otherwise the page's navigation decides (only one page-level form may be in flight).
 */
export function SubmitButton({
  label,
  pendingLabel,
  formAction,
  pending: pendingProp,
  variant = "primary",
  name,
  value,
}: {
  label: string;
  pendingLabel: string;
  formAction?: string;
  pending?: boolean;
  variant?: "primary" | "secondary" | "danger";
  name?: string;
  value?: string;
}) {
  const navigation = useNavigation();
  const pending =
    pendingProp ??
    (navigation.state === "submitting" &&
      (!formAction || navigation.formAction === formAction) &&
      (!name || navigation.formData?.get(name) === value));
  return (
    <button type="submit" name={name} value={value} disabled={pending} aria-busy={pending} className={BUTTON_CLASSES[variant]}>
      {pending ? pendingLabel : label}
    </button>
  );
}

const BUTTON_CLASSES = {
  primary:
    "w-full rounded-md bg-brand-700 px-4 py-2.5 font-medium text-white shadow-sm hover:bg-brand-800 disabled:cursor-wait disabled:opacity-70",
  secondary:
    "rounded-md border border-stone-300 bg-white px-3 py-2 text-sm hover:border-brand-500 disabled:cursor-wait disabled:opacity-70",
  danger: "rounded-md bg-red-700 px-3 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-wait disabled:opacity-70",
} as const;

export function FormAlert({ errors }: { errors?: string[] | null }) {
  const translate = useTranslateRef();
  if (!errors?.length) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {errors.map((error) => (
        <p key={error}>{translate(error)}</p>
      ))}
    </div>
  );
}

/** What a form that went through did (the `done` message of its answer), announced politely. */
export function DoneNote({ message }: { message?: string | null }) {
  const translate = useTranslateRef();
  if (!message) return null;
  return (
    <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
      {translate(message)}
    </p>
  );
}

/** The search box above a list: a GET form sending `q`, so the results have a URL of their own. */
export function SearchForm({ label, defaultValue }: { label: string; defaultValue: string }) {
  const t = useT();
  return (
    <Form method="get" role="search" className="flex gap-2">
      <input
        type="search"
        name="q"
        defaultValue={defaultValue}
        aria-label={label}
        placeholder={label}
        className="min-w-0 flex-1 rounded-md border border-stone-300 px-3 py-2 sm:max-w-xs"
      />
      <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2">
        {t("common.search")}
      </button>
    </Form>
  );
}
