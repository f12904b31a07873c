import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScrollRegion } from "~/components/data-table";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { RowAction } from "~/components/row-action";
import { lastLedgerAudit } from "~/domain/ledger/audit.server";
import { failedJobs, jobCountsByQueue, retryFailedJob } from "~/jobs/failed.server";
import { RetryJobSchema } from "~/jobs/schemas";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDateTime } from "~/utils/dates";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("jobs.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [failed, counts, audit] = await Promise.all([failedJobs(), jobCountsByQueue(), lastLedgerAudit()]);
  return { failed, counts, audit };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const submission = await parseForm(request, RetryJobSchema);
  if (submission.status !== "success") return invalid(submission);
  return runCommand(submission, async () => {
    await retryFailedJob(submission.value.name, submission.value.id);
    return done(submission, "jobs.retried");
  });
}

export default function AdminJobs() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { failed, counts, audit } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("jobs.title")} body={t("jobs.body")} />
      <p role="status" className="rounded-md border border-stone-200 bg-white p-3 text-sm">
        {t("jobs.lastAudit")}:{" "}
        {audit
          ? t("jobs.auditResult", {
              date: formatDateTime(audit.finishedAt, tag),
              households: audit.householdsSeen,
              count: audit.differenceCount,
            })
          : t("jobs.auditNever")}
      </p>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("jobs.failedTitle")}</h2>
        {failed.length === 0 ? (
          <p className="text-stone-600">{t("jobs.none")}</p>
        ) : (
          <ScrollRegion label={t("jobs.title")}>
            <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
              <thead className="bg-stone-50 text-left">
                <tr>
                  <th className="p-2">{t("jobs.queue")}</th>
                  <th className="p-2">{t("jobs.failedAt")}</th>
                  <th className="p-2 text-right">{t("jobs.attempts")}</th>
                  <th className="p-2">{t("jobs.error")}</th>
                  <th className="p-2" />
                </tr>
              </thead>
              <tbody>
                {failed.map((job) => (
                  <tr key={job.id} className="border-t border-stone-100 align-top" data-testid="failed-job">
                    <td className="p-2 font-mono text-xs">{job.name}</td>
                    <td className="p-2">{job.failedAt ? formatDateTime(job.failedAt, tag) : ""}</td>
                    <td className="p-2 text-right">{job.attempts}</td>
                    <td className="max-w-md p-2 break-words">{job.error}</td>
                    <td className="p-2">
                      <RowAction
                        intent="retry"
                        fields={{ name: job.name, id: job.id }}
                        label={t("jobs.retry")}
                        pendingLabel={t("jobs.retrying")}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("jobs.counts")}</h2>
        <table className="rounded-lg border border-stone-200 bg-white text-sm">
          <thead className="bg-stone-50 text-left">
            <tr>
              <th className="p-2">{t("jobs.queue")}</th>
              <th className="p-2">{t("jobs.state")}</th>
              <th className="p-2 text-right">{t("jobs.count")}</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((row) => (
              <tr key={`${row.queue}-${row.state}`} className="border-t border-stone-100">
                <td className="p-2 font-mono text-xs">{row.queue}</td>
                <td className="p-2">{row.state}</td>
                <td className="p-2 text-right">{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
