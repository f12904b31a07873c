import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { ConfirmedActionForm, HouseholdPartHeader, IncomeCells, IncomeForm } from "~/components/household-form";
import { INCOME_SOURCES, IncomeSchema } from "~/domain/households/schema";
import { deleteOtherIncome, DuplicateIncomeError, openHouseholdFile, saveOtherIncome } from "~/domain/households/files.server";
import { useT } from "~/i18n/react";
import { notFound } from "~/utils/responses.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const household = await openHouseholdFile(viewer, params.householdId ?? "", (context as { clientIp?: string }).clientIp);
  if (!household) notFound();
  const { id, code, incomes } = household;
  return { household: { id, code }, incomes };
}

const DeleteForm = z.object({
  year: z.coerce.number().int(),
  source: z.enum(INCOME_SOURCES),
  confirm: z.literal("yes", { error: "households.errors.confirm" }),
});

const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const householdId = params.householdId ?? "";
  const formData = await request.formData();
  const intent = formData.get("intent");
  const back = redirect(`/team/households/${householdId}/income`);
  if (intent === "delete") {
    const target = `${formData.get("year")}-${formData.get("source")}`;
    const parsed = DeleteForm.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return data({ target, result: null, deleteErrors: ["households.errors.confirm"] }, { status: 422 });
    if (!(await deleteOtherIncome(viewer, householdId, parsed.data.year, parsed.data.source))) notFound();
    return back;
  }
  if (intent !== "add" && intent !== "update") return data({ target: "", result: null, deleteErrors: null }, { status: 400 });
  const target = intent === "add" ? "new" : `${formData.get("year")}-${formData.get("source")}`;
  const submission = parseWithZod(formData, { schema: IncomeSchema });
  if (submission.status !== "success") return data({ target, result: submission.reply(), deleteErrors: null }, { status: 422 });
  const { year, source, amount, note } = submission.value;
  try {
    if (!(await saveOtherIncome(viewer, householdId, { year, source, amountFen: amount, note: note ?? null }, intent))) notFound();
  } catch (error) {
    if (!(error instanceof DuplicateIncomeError)) throw error;
    return data(
      { target, result: submission.reply({ fieldErrors: { source: ["households.errors.duplicateIncome"] } }), deleteErrors: null },
      { status: 422 },
    );
  }
  return back;
}

export default function HouseholdIncome() {
  const t = useT();
  const { household, incomes } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const resultFor = (target: string) => (answer?.target === target && answer.result ? answer.result : undefined);
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
        <IncomeForm key={incomes.length} lastResult={resultFor("new")} />
      </section>
      {incomes.length === 0 ? (
        <p className="text-sm text-stone-600">{t("households.noOtherIncome")}</p>
      ) : (
        <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
          <thead className="text-left text-stone-600">
            <tr>
              <th className="p-2">{t("households.incomeFields.year")}</th>
              <th className="p-2">{t("households.incomeFields.source")}</th>
              <th className="p-2 text-right">{t("households.incomeFields.amount")}</th>
              <th className="p-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {incomes.map((income) => {
              const target = `${income.year}-${income.source}`;
              return (
                <tr key={target} className="align-top">
                  <IncomeCells income={income} />
                  <td className="space-y-2 p-2">
                    <details open={answer?.target === target}>
                      <summary className="cursor-pointer text-brand-700 underline">{t("households.editMember")}</summary>
                      <div className="mt-2 space-y-3">
                        <IncomeForm
                          fixed={{ year: income.year, source: income.source }}
                          defaultValue={{ amount: yuan(income.amountFen), note: income.note ?? undefined }}
                          lastResult={resultFor(target)}
                        />
                        <ConfirmedActionForm
                          fields={{ intent: "delete", year: income.year, source: income.source }}
                          confirmLabel={t("households.confirmDelete")}
                          buttonLabel={t("households.deleteIncome")}
                          errors={answer?.target === target ? answer.deleteErrors : null}
                        />
                      </div>
                    </details>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
