import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { config } from "~/config.server";
import { findHouseholdByIdNumber, listHouseholds } from "~/domain/households/files.server";
import { normalizeIdNumber } from "~/domain/households/id-numbers";
import { formatFen } from "~/domain/money";
import { useT } from "~/i18n/react";
import { parsePageQuery } from "~/utils/search-params";

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

// The ID number arrives in a POST body, never in a URL, so it stays out of access logs and browser history.
export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const idNumber = normalizeIdNumber(String((await request.formData()).get("idNumber") ?? ""));
  if (!idNumber) return data({ error: "households.errors.idNumber" as const }, { status: 400 });
  const household = await findHouseholdByIdNumber(viewer, idNumber, config().idHashKey);
  if (!household) return data({ error: "households.lookupNotFound" as const }, { status: 404 });
  return redirect(`/team/households/${household.id}`);
}

export default function HouseholdList() {
  const t = useT();
  const { q, status, households, total, page, pages } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("households.title")} body={t("households.count", { count: total })}>
        <Link to="new" className="inline-block rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white">
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
      <Form method="post" className="flex flex-wrap items-end gap-2">
        <label className="text-sm">
          <span className="block text-stone-700">{t("households.lookupLabel")}</span>
          <input name="idNumber" autoComplete="off" inputMode="text" className="mt-1 rounded-md border border-stone-300 px-3 py-2" />
        </label>
        <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2">
          {t("households.lookup")}
        </button>
        {actionData ? (
          <p role="alert" className="w-full text-sm text-red-700">
            {t(actionData.error)}
          </p>
        ) : null}
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
                <span className="text-sm text-stone-600">{h.villageGroup}</span>
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
