import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { Form, useActionData, useFetcher } from "@remix-run/react";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT, useTranslateRef } from "~/i18n/react";
import { formatDate } from "~/utils/dates";
import { useSchemaValidation } from "~/utils/lazy-validation";
import type { RosterAnswer } from "~/utils/roster-answer";
import { DataTable } from "./data-table";
import { DoneNote, Field, FormAlert, SubmitButton } from "./forms";
import { FetcherOutcome, RowAction } from "./row-action";

type Member = { id: string; name: string; phone: string | null; department: string | null; state: "active" | "pending" | "expired" };
type Issued = NonNullable<RosterAnswer["issued"]>[number];
type PreviewRow = NonNullable<RosterAnswer["preview"]>["rows"][number];

const REISSUE_FETCHER = "roster-reissue";

/**
 * A unit's roster page, for its organizer and for an admin: the file form (preview, then import what was previewed),
 * what the file would do row by row, the codes issued (shown once, printable as slips) and the unit's members.
 */
export function RosterImport({ members }: { members: Member[] }) {
  const t = useT();
  const answer = useActionData<RosterAnswer>();
  const reissued = useFetcher<RosterAnswer>({ key: REISSUE_FETCHER });
  const issued = [...(answer?.issued ?? []), ...(reissued.state === "idle" ? (reissued.data?.issued ?? []) : [])];
  const [form, fields] = useForm({
    id: "roster",
    lastResult: answer?.result,
    shouldValidate: "onSubmit",
    onValidate: useSchemaValidation(() => import("~/domain/accounts/roster-schemas").then((m) => m.RosterUploadSchema)),
  });
  const preview = answer?.preview;
  return (
    <div className="space-y-6">
      <div className={issued.length ? "space-y-6 print:hidden" : "space-y-6"}>
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="max-w-xl space-y-3">
          <FormAlert errors={form.errors} />
          <DoneNote message={answer?.done} />
          <Field
            label={t("roster.file")}
            hint={t("roster.fileHint")}
            errors={fields.file.errors}
            inputProps={{
              ...getInputProps(fields.file, { type: "file" }),
              accept: ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }}
          />
          <div className="flex flex-wrap gap-2">
            <SubmitButton
              label={t("roster.preview")}
              pendingLabel={t("roster.previewing")}
              name="intent"
              value="preview"
              variant="secondary"
            />
            {preview && preview.counts.new > 0 && !answer?.issued ? (
              <SubmitButton
                label={t("roster.import", { count: preview.counts.new })}
                pendingLabel={t("roster.importing")}
                name="intent"
                value="import"
                variant="secondary"
              />
            ) : null}
          </div>
        </Form>
        {preview ? <PreviewTable counts={preview.counts} rows={preview.rows} /> : null}
      </div>
      {issued.length ? <Slips issued={issued} /> : null}
      <FetcherOutcome fetcherKey={REISSUE_FETCHER} />
      <Members members={members} />
    </div>
  );
}

function PreviewTable({ counts, rows }: { counts: { new: number; existing: number; rejected: number }; rows: PreviewRow[] }) {
  const t = useT();
  return (
    <section className="space-y-2" aria-labelledby="roster-preview">
      <h2 id="roster-preview" className="font-medium">
        {t("roster.counts", counts)}
      </h2>
      <DataTable
        caption={t("roster.counts", counts)}
        rows={rows}
        rowKey={(row) => String(row.line)}
        columns={[
          { header: t("roster.name"), cell: (row) => row.name || "—" },
          { header: t("roster.line"), cell: (row) => row.line, numeric: true },
          { header: t("roster.phone"), cell: (row) => row.phone },
          { header: t("roster.department"), cell: (row) => row.department ?? "" },
          {
            header: t("roster.status"),
            cell: (row) => (
              <span className={row.status === "rejected" ? "text-red-700" : undefined}>
                {t(`roster.state.${row.status}`)}
                {row.problems.length ? `：${row.problems.map((problem) => t(`roster.problems.${problem}`)).join("；")}` : ""}
              </span>
            ),
          },
        ]}
      />
      {counts.new + counts.existing + counts.rejected > rows.length ? (
        <p className="text-sm text-stone-600">{t("roster.more", { count: rows.length })}</p>
      ) : null}
    </section>
  );
}

function Slips({ issued }: { issued: Issued[] }) {
  const t = useT();
  const locale = useLocale();
  const url = typeof window === "undefined" ? "/activate" : `${window.location.origin}/activate`;
  return (
    <section className="space-y-3" aria-labelledby="roster-codes">
      <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
        <h2 id="roster-codes" className="font-medium">
          {t("roster.codesTitle")}
        </h2>
        <button
          type="button"
          onClick={() => window.print()}
          className="rounded-md border border-stone-300 bg-white px-3 py-2 text-sm hover:border-brand-500"
        >
          {t("roster.printSlips")}
        </button>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2 print:grid-cols-2" data-testid="activation-slips">
        {issued.map((slip) => (
          <li key={slip.phone} className="break-inside-avoid rounded-lg border border-dashed border-stone-400 bg-white p-3 text-sm">
            <p>{t("roster.slip", { name: slip.name, phone: slip.phone, url })}</p>
            <p className="mt-2">
              {t("roster.slipCode")}：
              <strong className="font-mono text-lg tracking-wider" data-testid="activation-code">
                {slip.code}
              </strong>
            </p>
            <p className="text-stone-600">{t("roster.slipExpires", { date: formatDate(slip.expiresAt, languageTag(locale)) })}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Members({ members }: { members: Member[] }) {
  const t = useT();
  const translate = useTranslateRef();
  return (
    <section className="space-y-2 print:hidden" aria-labelledby="roster-members">
      <h2 id="roster-members" className="font-medium">
        {t("roster.membersTitle")}{" "}
        <span className="text-sm font-normal text-stone-600">{t("roster.members", { count: members.length })}</span>
      </h2>
      <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm">
        {members.map((member) => (
          <li key={member.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 p-3">
            <span className="font-medium">{member.name}</span>
            <span className="text-stone-600">{member.phone}</span>
            {member.department ? <span className="text-stone-600">{member.department}</span> : null}
            <span className={member.state === "active" ? "text-green-800" : "text-amber-800"}>
              {translate(`roster.memberState.${member.state}`)}
            </span>
            {member.state !== "active" ? (
              <span className="sm:ml-auto">
                <RowAction
                  intent="reissue"
                  fields={{ userId: member.id }}
                  label={t("roster.reissue")}
                  pendingLabel={t("roster.reissuing")}
                  fetcherKey={REISSUE_FETCHER}
                />
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
