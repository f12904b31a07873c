import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { DoneNote, ErrorList, FormAlert, SubmitButton } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { fenToYuanText, formatFen } from "~/domain/money";
import { autoReceiptDays, saveAutoReceiptDays } from "~/domain/purchases/receipt.server";
import { AutoReceiptSchema, ProgressQuerySchema, TargetSchema } from "~/domain/purchases/schemas";
import { setUnitTarget, targetsForYear } from "~/domain/purchases/targets.server";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, readFormData, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("purchases.targets.title");

const ActionSchema = z.discriminatedUnion("intent", [TargetSchema, AutoReceiptSchema]);

/** Every unit's members and target for `?year=` (this year by default), and the automatic-receipt setting. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "bureau", "admin");
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: ProgressQuerySchema });
  const year = submission.status === "success" ? (submission.value.year ?? currentShopYear()) : currentShopYear();
  const [units, days] = await Promise.all([targetsForYear(year), autoReceiptDays()]);
  return { year, units, autoDays: days, thisYear: currentShopYear() };
}

/** Sets one unit's target for a year (`intent=target`) or the days after which delivery counts as receipt. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "bureau", "admin");
  const submission = parseWithZod(await readFormData(request), { schema: ActionSchema });
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const input = submission.value;
  return runCommand(submission, async () => {
    if (input.intent === "autoReceipt") {
      await saveAutoReceiptDays(user.id, input.days);
      return done(submission, "purchases.targets.autoSaved", { days: input.days }, { resetForm: false });
    }
    const { targetFen } = await setUnitTarget(user.id, input);
    return done(submission, "purchases.targets.saved", { amount: formatFen(targetFen) }, { resetForm: false });
  });
}

export default function Targets() {
  const t = useT();
  const en = useLocale() === "en";
  const { year, units, autoDays, thisYear } = useLoaderData<typeof loader>();
  const answer = useActionData<FormAnswer>();
  const [mode, setMode] = useState<"total" | "perMember">("total");
  const sentIntent = answer?.result.initialValue?.intent;
  const targetAnswer = sentIntent === "target" ? answer : undefined;
  const autoAnswer = sentIntent === "autoReceipt" ? answer : undefined;
  const errors = targetAnswer?.result.error;
  const input = "w-full rounded-md border border-stone-300 px-3 py-2 text-base";
  return (
    <div className="space-y-6">
      <PageHeader title={t("purchases.targets.title")} body={t("purchases.targets.body")} />
      <Form method="get" className="flex flex-wrap items-center gap-2">
        <label htmlFor="targets-year" className="text-sm font-medium">
          {t("purchases.targets.year")}
        </label>
        <select id="targets-year" name="year" defaultValue={year} className="rounded-md border border-stone-300 px-3 py-2 text-base">
          {Array.from({ length: thisYear + 2 - 2016 }, (_, i) => thisYear + 1 - i).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <button type="submit" className="rounded-md border border-stone-300 px-3 py-2">
          {t("purchases.bureau.show")}
        </button>
      </Form>

      <Form
        method="post"
        className="max-w-lg space-y-3 rounded-lg border border-stone-200 bg-white p-4"
        aria-label={t("purchases.targets.save")}
      >
        <input type="hidden" name="intent" value="target" />
        <input type="hidden" name="year" value={year} />
        <FormAlert errors={errors?.[""]} />
        <DoneNote message={targetAnswer?.done} />
        <div>
          <label htmlFor="target-unit" className="block text-sm font-medium">
            {t("purchases.bureau.unit")}
          </label>
          <select id="target-unit" name="unitId" className={input} aria-describedby="target-unit-error">
            {units.map((unit) => (
              <option key={unit.id} value={unit.id}>
                {en ? unit.nameEn : unit.name}
              </option>
            ))}
          </select>
          <ErrorList id="target-unit-error" errors={errors?.unitId} />
        </div>
        <fieldset>
          <legend className="text-sm font-medium">{t("purchases.targets.mode")}</legend>
          {(["total", "perMember"] as const).map((option) => (
            <label key={option} className="mr-4 inline-flex items-center gap-1 text-sm">
              <input type="radio" name="mode" value={option} checked={mode === option} onChange={() => setMode(option)} />
              {t(option === "total" ? "purchases.targets.modeTotal" : "purchases.targets.modePerMember")}
            </label>
          ))}
          <ErrorList errors={errors?.mode} />
        </fieldset>
        <div>
          <label htmlFor="target-amount" className="block text-sm font-medium">
            {t("purchases.targets.amount")}
          </label>
          <input
            id="target-amount"
            name="amount"
            inputMode="decimal"
            className={input}
            aria-invalid={errors?.amount ? true : undefined}
            aria-describedby="target-amount-error"
          />
          <ErrorList id="target-amount-error" errors={errors?.amount} />
        </div>
        <div>
          <label htmlFor="target-members" className="block text-sm font-medium">
            {t("purchases.targets.members")}
          </label>
          <input
            id="target-members"
            name="memberCount"
            inputMode="numeric"
            className={input}
            aria-invalid={errors?.memberCount ? true : undefined}
            aria-describedby="target-members-error"
          />
          <ErrorList id="target-members-error" errors={errors?.memberCount} />
        </div>
        <ErrorList errors={errors?.year} />
        <SubmitButton label={t("purchases.targets.save")} pendingLabel={t("purchases.targets.saving")} />
      </Form>

      <table className="w-full rounded-lg border border-stone-200 bg-white text-sm" data-testid="targets-table">
        <caption className="p-2 text-left font-medium">
          {t("purchases.targets.history")} · {year}
        </caption>
        <thead className="text-left text-stone-600">
          <tr>
            <th scope="col" className="p-2">
              {t("purchases.bureau.unit")}
            </th>
            <th scope="col" className="p-2 text-right">
              {t("purchases.targets.members")}
            </th>
            <th scope="col" className="p-2 text-right">
              {t("purchases.targets.current")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {units.map((unit) => (
            <tr key={unit.id} data-unit={unit.code}>
              <th scope="row" className="p-2 text-left font-normal">
                {en ? unit.nameEn : unit.name}
              </th>
              <td className="p-2 text-right tabular-nums">{unit.memberCount ?? "—"}</td>
              <td className="p-2 text-right tabular-nums">
                {unit.target ? formatFen(unit.target.targetFen) : t("purchases.progress.noTarget")}
                {unit.target?.perMemberFen != null ? (
                  <span className="block text-xs text-stone-500">
                    {t("purchases.targets.perMember", {
                      amount: fenToYuanText(unit.target.perMemberFen),
                      members: unit.target.memberCount ?? 0,
                    })}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <Form method="post" className="max-w-lg space-y-3 rounded-lg border border-stone-200 bg-white p-4">
        <h2 className="font-semibold">{t("purchases.targets.autoTitle")}</h2>
        <p className="text-sm text-stone-600">{t("purchases.targets.autoBody")}</p>
        <input type="hidden" name="intent" value="autoReceipt" />
        <DoneNote message={autoAnswer?.done} />
        <label htmlFor="auto-days" className="block text-sm font-medium">
          {t("purchases.targets.autoDays")}
        </label>
        <input
          id="auto-days"
          name="days"
          inputMode="numeric"
          defaultValue={autoDays}
          className={input}
          aria-describedby="auto-days-error"
        />
        <ErrorList id="auto-days-error" errors={autoAnswer?.result.error?.days} />
        <SubmitButton label={t("common.save")} pendingLabel={t("common.saving")} />
      </Form>
    </div>
  );
}
