// The parts of a household file that show it rather than edit it, apart from household-form.tsx so that the file,
// its print-out and its ledger lines do not download the form library.
import { Link } from "@remix-run/react";
import type { INCOME_SOURCES, RISK_FLAG_KINDS } from "~/domain/households/kinds";
import { villageGroupName } from "~/domain/households/village-groups";
import type { Locale } from "~/i18n/i18n";
import { useT, type Translate } from "~/i18n/react";
import { formatDate } from "~/utils/dates";
import { PageHeader } from "./page";
import { RowAction } from "./row-action";

type Flag = {
  id: string;
  kind: (typeof RISK_FLAG_KINDS)[number];
  note: string;
  createdAt: string | Date;
  resolvedAt: string | Date | null;
};

/** The household's risk flags, open ones first; with `resolvable` each open one has its own resolve button. */
export function FlagList({ flags, tag, resolvable = false }: { flags: Flag[]; tag: string; resolvable?: boolean }) {
  const t = useT();
  return (
    <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm">
      {flags.map((flag) => (
        <li key={flag.id} className={`flex flex-wrap items-center gap-x-4 gap-y-1 p-3 ${flag.resolvedAt ? "text-stone-500" : ""}`}>
          <span className="font-medium">{t(`households.flagKinds.${flag.kind}`)}</span>
          <span className="min-w-0 break-words">{flag.note}</span>
          <span className="text-stone-500">{t("households.flaggedOn", { date: formatDate(flag.createdAt, tag) })}</span>
          {flag.resolvedAt ? (
            <span>{t("households.resolvedOn", { date: formatDate(flag.resolvedAt, tag) })}</span>
          ) : resolvable ? (
            <RowAction
              intent="resolve"
              fields={{ flagId: flag.id }}
              label={t("households.resolveFlag")}
              pendingLabel={t("common.saving")}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

type HouseholdFacts = {
  headName: string;
  status: "registered_poor" | "low_income" | "other";
  villageGroup: string;
  memberCount: number;
  exitYear: number | null;
  headIdMasked: string | null;
  phone: string | null;
  address: string | null;
  pensionCovered: boolean;
  medicalCovered: boolean;
  consentToDisplay: boolean;
};

/** The basic facts of a household file as label/value pairs, for the file page and its printed form. */
export function householdFacts(t: Translate, locale: Locale, h: HouseholdFacts): [string, string][] {
  const yesNo = (value: boolean) => (value ? t("households.yes") : t("households.no"));
  return [
    [t("households.fields.headName"), h.headName],
    [t("households.fields.status"), t(`households.status.${h.status}`)],
    [t("households.fields.villageGroup"), villageGroupName(h.villageGroup, locale)],
    [t("households.fields.memberCount"), String(h.memberCount)],
    [t("households.fields.exitYear"), h.exitYear ? String(h.exitYear) : t("common.none")],
    [t("households.fields.headIdMasked"), h.headIdMasked ?? t("common.none")],
    [t("households.fields.phone"), h.phone ?? t("common.none")],
    [t("households.fields.address"), h.address ?? t("common.none")],
    [t("households.fields.pensionCovered"), yesNo(h.pensionCovered)],
    [t("households.fields.medicalCovered"), yesNo(h.medicalCovered)],
    [t("households.fields.consentToDisplay"), yesNo(h.consentToDisplay)],
  ];
}

/** The header of a page that changes one part of a household file, with the way back to the file. */
export function HouseholdPartHeader({ householdId, title, body }: { householdId: string; title: string; body?: string }) {
  const t = useT();
  return (
    <PageHeader title={title} body={body}>
      <Link to={`/team/households/${householdId}`} className="inline-block text-brand-700 underline">
        {t("households.backToFile")}
      </Link>
    </PageHeader>
  );
}

/** One recorded income's source, with its note under it. */
export function IncomeSource({ income }: { income: { source: (typeof INCOME_SOURCES)[number]; note: string | null } }) {
  const t = useT();
  return (
    <>
      {t(`households.sources.${income.source}`)}
      {income.note ? <span className="block text-xs text-stone-500">{income.note}</span> : null}
    </>
  );
}
