import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { IncomeForm } from "~/components/household-form";
import { HouseholdPartHeader, IncomeSource } from "~/components/household-parts";
import { RowAction } from "~/components/row-action";
import { deleteOtherIncome, openHouseholdFile, saveOtherIncome } from "~/domain/households/files.server";
import { IncomeActionSchema } from "~/domain/households/schema";
import { fenToYuanText, formatFen } from "~/domain/money";
import { useT } from "~/i18n/react";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle<typeof loader>((t, data) => (data ? t("households.incomePage", { code: data.household.code }) : ""));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const clientIp = (context as { clientIp?: string }).clientIp;
  const { incomes, ...household } = await openHouseholdFile(viewer, params.householdId ?? "", "incomes", clientIp);
  return { household, incomes };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = await parseForm(request, IncomeActionSchema);
  if (submission.status !== "success") return invalid(submission);
  const householdId = params.householdId ?? "";
  const input = submission.value;
  return runCommand(submission, async () => {
    switch (input.intent) {
      case "add":
      case "update": {
        const { year, source, amount, note } = input;
        await saveOtherIncome(viewer, householdId, { year, source, amountFen: amount, note: note ?? null }, input.intent);
        return input.intent === "add"
          ? done(submission, "households.done.incomeAdded")
          : done(submission, "households.done.incomeSaved", undefined, { resetForm: false });
      }
      case "delete":
        await deleteOtherIncome(viewer, householdId, input.year, input.source);
        return done(submission, "households.done.incomeDeleted");
    }
  });
}

export default function HouseholdIncome() {
  const t = useT();
  const { household, incomes } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <HouseholdPartHeader
        householdId={household.id}
        title={t("households.incomePage", { code: household.code })}
        body={t("households.incomeHint")}
      />
      <section aria-labelledby="add-income" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="add-income" className="mb-3 text-lg font-semibold">
          {t("households.addIncome")}
        </h2>
        <IncomeForm />
      </section>
      {incomes.length === 0 ? (
        <p className="text-sm text-stone-600">{t("households.noOtherIncome")}</p>
      ) : (
        <ul
          aria-label={t("households.otherIncomeTitle")}
          className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm"
        >
          {incomes.map((income) => (
            <li key={`${income.year}-${income.source}`} className="space-y-2 p-3">
              <div className="flex flex-wrap items-baseline gap-x-4">
                <span className="tabular-nums">{income.year}</span>
                <span className="min-w-0 flex-1">
                  <IncomeSource income={income} />
                </span>
                <span className="font-medium tabular-nums">{formatFen(income.amountFen)}</span>
              </div>
              <details>
                <summary className="cursor-pointer text-brand-700 underline">{t("households.editMember")}</summary>
                <div className="mt-2">
                  <IncomeForm
                    fixed={{ year: income.year, source: income.source }}
                    defaultValue={{ amount: fenToYuanText(income.amountFen), note: income.note ?? undefined }}
                  />
                </div>
              </details>
              <RowAction
                intent="delete"
                fields={{ year: String(income.year), source: income.source }}
                label={t("households.deleteIncome")}
                pendingLabel={t("households.deleting")}
                confirm={t("households.confirmDeleteBody", { year: income.year })}
                confirmLabel={t("households.confirmDelete")}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
