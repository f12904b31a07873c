import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { clientIp } from "~/auth/login-attempts.server";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { AuditQuery } from "~/domain/accounts/admin-schemas";
import { readAuditLog } from "~/domain/accounts/admin.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDateTime } from "~/utils/dates";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("adminPages.audit.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const filter = AuditQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { filter, ...(await readAuditLog(admin, filter, clientIp(context))) };
}

const inputClass = "mt-1 block w-full rounded-md border border-stone-300 bg-white px-3 py-2";

export default function AdminAudit() {
  const t = useT();
  const locale = useLocale();
  const { filter, entries, entityTypes, total, pages } = useLoaderData<typeof loader>();
  const text = (name: "actor" | "entityId" | "action", label: string) => (
    <label className="block text-sm">
      {label}
      <input name={name} defaultValue={filter[name] ?? ""} maxLength={100} className={inputClass} />
    </label>
  );
  return (
    <div className="space-y-4">
      <PageHeader title={t("adminPages.audit.title")} body={t("adminPages.audit.body")} />
      <Form method="get" className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-3">
        {text("actor", t("adminPages.audit.actor"))}
        <label className="block text-sm">
          {t("adminPages.audit.entity")}
          <select name="entityType" defaultValue={filter.entityType ?? ""} className={inputClass}>
            <option value="">{t("adminPages.audit.any")}</option>
            {entityTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        {text("entityId", t("adminPages.audit.entityId"))}
        {text("action", t("adminPages.audit.action"))}
        <label className="block text-sm">
          {t("adminPages.audit.from")}
          <input type="date" name="from" defaultValue={filter.from ?? ""} className={inputClass} />
        </label>
        <label className="block text-sm">
          {t("adminPages.audit.to")}
          <input type="date" name="to" defaultValue={filter.to ?? ""} className={inputClass} />
        </label>
        <div className="sm:col-span-3">
          <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2 hover:border-brand-500">
            {t("adminPages.audit.filter")}
          </button>
        </div>
      </Form>
      <p className="text-sm text-stone-600">{t("adminPages.audit.count", { count: total })}</p>
      {entries.length === 0 ? (
        <p className="text-stone-600">{t("adminPages.audit.none")}</p>
      ) : (
        <ol className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm" data-testid="audit-entries">
          {entries.map((entry) => (
            <li key={entry.id} className="space-y-1 p-3">
              <div className="flex flex-wrap gap-x-4 gap-y-1">
                <time dateTime={new Date(entry.createdAt).toISOString()} className="text-stone-600">
                  {formatDateTime(entry.createdAt, languageTag(locale))}
                </time>
                <span className="font-mono">{entry.action}</span>
                <span>
                  {entry.entityType} <span className="font-mono text-xs text-stone-500">{entry.entityId}</span>
                </span>
                <span>
                  {entry.actor
                    ? `${entry.actor.name}（${entry.actor.phone ?? entry.actor.email ?? entry.actor.id}）`
                    : t("adminPages.audit.system")}
                </span>
                {entry.ip ? <span className="text-stone-500">{entry.ip}</span> : null}
              </div>
              {entry.changes ? (
                <details>
                  <summary className="cursor-pointer text-brand-700">{t("adminPages.audit.changes")}</summary>
                  <pre className="mt-1 max-h-80 overflow-auto rounded bg-stone-50 p-2 text-xs break-all whitespace-pre-wrap">
                    {entry.changes}
                  </pre>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <Pagination page={filter.page} pages={pages} />
    </div>
  );
}
