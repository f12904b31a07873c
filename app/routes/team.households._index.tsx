import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { Field, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { config } from "~/config.server";
import { findHouseholdByIdNumber, listHouseholds } from "~/domain/households/files.server";
import { LookupSchema } from "~/domain/households/schema";
import { villageGroupName } from "~/domain/households/village-groups";
import { formatFen } from "~/domain/money";
import { useLocale, useT } from "~/i18n/react";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";
import { useSchemaValidation } from "~/utils/lazy-validation";
import { limitRequest } from "~/utils/rate-limit.server";

export const meta = pageTitle("households.title");

const STATUSES = ["registered_poor", "low_income", "other"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const { q, page } = parsePageQuery(request);
  const status = z
    .enum(STATUSES)
    .optional()
    .catch(undefined)
    .parse(new URL(request.url).searchParams.get("status") ?? undefined);
  return { q, page, status: status ?? "", ...(await listHouseholds(viewer, { q, status, page })) };
}

// The ID number arrives in a POST body, never in a URL, so it stays out of access logs and browser history; it is
// never sent back either.
export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  await limitRequest("idLookup", viewer.id);
  const submission = await parseForm(request, LookupSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields: ["idNumber"] });
  return runCommand(
    submission,
    async () => {
      const household = await findHouseholdByIdNumber(viewer, submission.value.idNumber, config().idHashKey);
      return redirect(`/team/households/${household.id}`);
    },
    { hideFields: ["idNumber"] },
  );
}

export default function HouseholdList() {
  const t = useT();
  const locale = useLocale();
  const { q, status, households, total, page, pages } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "id-lookup",
    lastResult: answer?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: useSchemaValidation(() => import("~/domain/households/schema").then((m) => m.LookupSchema)),
  });
  return (
    <div className="space-y-4">
      <PageHeader title={t("households.title")} body={t("households.count", { count: total })}>
        <Link to="new" className="inline-block rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white">
          {t("households.newHousehold")}
        </Link>
      </PageHeader>
      <Form method="get" role="search" className="flex flex-wrap gap-2">
        <input
          type="search"
          name="q"
          defaultValue={q}
          aria-label={t("households.search")}
          placeholder={t("households.search")}
          className="w-full max-w-xs rounded-md border border-stone-300 px-3 py-2"
        />
        <select
          name="status"
          defaultValue={status}
          aria-label={t("households.fields.status")}
          className="rounded-md border border-stone-300 px-3 py-2"
        >
          <option value="">{t("households.allStatuses")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`households.status.${s}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2">
          {t("common.search")}
        </button>
      </Form>
      <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-start gap-2">
        <div className="w-full max-w-xs">
          <Field
            label={t("households.lookupLabel")}
            errors={fields.idNumber.errors}
            inputProps={{ ...getInputProps(fields.idNumber, { type: "text" }), autoComplete: "off" }}
          />
        </div>
        <div className="sm:mt-6">
          <SubmitButton label={t("households.lookup")} pendingLabel={t("households.lookingUp")} variant="secondary" />
        </div>
      </Form>
      {households.length === 0 ? (
        <p className="text-stone-600">{t("households.empty")}</p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {households.map((h) => (
            <li key={h.id}>
              <Link to={h.id} className="flex flex-wrap items-baseline gap-x-4 p-3 hover:bg-stone-50">
                <span className="font-mono font-medium">{h.code}</span>
                <span>{h.headName}</span>
                <span className="text-sm text-stone-600">{villageGroupName(h.villageGroup, locale)}</span>
                <span className="text-sm text-stone-600">{t("households.members", { count: h.memberCount })}</span>
                <span className="text-sm">{t(`households.status.${h.status}`)}</span>
                <span className="ml-auto text-sm font-medium" data-testid="balance">
                  {formatFen(h.balanceFen)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
