import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { MonthlyColumns, TargetBar } from "~/components/charts";
import { PageHeader, StatCard } from "~/components/page";
import { RowAction } from "~/components/row-action";
import { formatFen } from "~/domain/money";
import { unitBuyers, unitMonthly, unitsYear } from "~/domain/purchases/counted.server";
import { progressPercent } from "~/domain/purchases/progress";
import { confirmGroupPickup, pickupsAwaiting } from "~/domain/purchases/receipt.server";
import { ConfirmPickupSchema, ProgressQuerySchema } from "~/domain/purchases/schemas";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { currentShopYear, formatDate } from "~/utils/dates";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("purchases.progress.title");

/** The organizer's own unit's year (`?year=`): counted against the target, per month, who bought, pickups to confirm. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const submission = parseWithZod(new URL(request.url).searchParams, { schema: ProgressQuerySchema });
  if (submission.status !== "success") return invalid(submission);
  const year = submission.value.year ?? currentShopYear();
  if (!user.unitId) return { year, unit: null, monthly: [], buyers: [], pickups: [] };
  const [[unit], monthly, buyers, pickups] = await Promise.all([
    unitsYear(year, new Date(), [user.unitId]),
    unitMonthly(user.unitId, year),
    unitBuyers(user.unitId, year),
    pickupsAwaiting(user.unitId),
  ]);
  return { year, unit: unit ?? null, monthly, buyers, pickups };
}

/** "Picked up": receipt confirmed for the unit's orders of one group order (all units' for its opener or an admin). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const submission = await parseForm(request, ConfirmPickupSchema);
  if (submission.status !== "success") return invalid(submission);
  return runCommand(submission, async () => {
    const { orders } = await confirmGroupPickup(user, submission.value.groupOrderId);
    return done(submission, "purchases.progress.pickupDone", { count: orders });
  });
}

export default function UnitProgress() {
  const t = useT();
  const locale = useLocale();
  const loaded = useLoaderData<typeof loader>();
  if (!("unit" in loaded) || !loaded.unit) {
    return (
      <div className="space-y-6">
        <PageHeader title={t("purchases.progress.title")} body={t("purchases.progress.noUnit")} />
      </div>
    );
  }
  const { year, unit, monthly, buyers, pickups } = loaded;
  const tag = languageTag(locale);
  const unitName = locale === "en" ? unit.nameEn : unit.name;
  const percent = progressPercent(unit.countedFen, unit.targetFen);
  const peak = monthly.reduce((best, m) => (m.countedFen > best.countedFen ? m : best), monthly[0]!);
  return (
    <div className="space-y-6">
      <PageHeader title={t("purchases.progress.title")} body={t("purchases.progress.body")} />
      <Form method="get" className="flex items-center gap-2">
        <label htmlFor="progress-year" className="text-sm font-medium">
          {t("purchases.targets.year")}
        </label>
        <select id="progress-year" name="year" defaultValue={year} className="rounded-md border border-stone-300 px-3 py-2 text-base">
          {Array.from({ length: 5 }, (_, i) => currentShopYear() - i).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <button type="submit" className="rounded-md border border-stone-300 px-3 py-2">
          {t("purchases.bureau.show")}
        </button>
      </Form>
      <div className="grid gap-3 sm:grid-cols-3">
        <StatCard
          label={t("purchases.progress.target")}
          value={unit.targetFen === null ? t("purchases.progress.noTarget") : formatFen(unit.targetFen)}
        />
        <StatCard label={t("purchases.progress.counted")} value={<span data-testid="unit-counted">{formatFen(unit.countedFen)}</span>} />
        <StatCard label={t("purchases.progress.pending")} value={formatFen(unit.pendingFen)} />
      </div>
      <TargetBar
        title={t("purchases.progress.barTitle", { unit: unitName, year })}
        description={t("purchases.progress.barDesc", {
          counted: formatFen(unit.countedFen),
          target: unit.targetFen === null ? t("purchases.progress.noTarget") : formatFen(unit.targetFen),
        })}
        countedFen={unit.countedFen}
        targetFen={unit.targetFen}
        caption={percent === null ? t("purchases.progress.noTarget") : t("purchases.progress.percent", { percent })}
      />
      <MonthlyColumns
        title={t("purchases.progress.monthly")}
        description={t("purchases.progress.monthlyDesc", { year, month: peak.month, amount: formatFen(peak.countedFen) })}
        rows={monthly.map((m) => ({ label: String(m.month), valueFen: m.countedFen }))}
        table={null}
      />
      <section aria-labelledby="buyers" className="space-y-2">
        <h2 id="buyers" className="text-lg font-semibold">
          {t("purchases.progress.buyers")}
        </h2>
        {buyers.length === 0 ? (
          <p className="text-stone-600">{t("purchases.progress.noBuyers")}</p>
        ) : (
          <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
            <thead className="text-left text-stone-600">
              <tr>
                <th scope="col" className="p-2">
                  {t("purchases.progress.buyer")}
                </th>
                <th scope="col" className="p-2 text-right">
                  {t("purchases.progress.orders")}
                </th>
                <th scope="col" className="p-2 text-right">
                  {t("purchases.progress.amount")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {buyers.map((buyer) => (
                <tr key={buyer.userId}>
                  <td className="p-2">{buyer.name}</td>
                  <td className="p-2 text-right tabular-nums">{buyer.orders}</td>
                  <td className="p-2 text-right tabular-nums">{formatFen(buyer.countedFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="pickups" className="space-y-2">
        <h2 id="pickups" className="text-lg font-semibold">
          {t("purchases.progress.pickups")}
        </h2>
        <p className="text-sm text-stone-600">{t("purchases.progress.pickupBody")}</p>
        {pickups.length === 0 ? (
          <p className="text-stone-600">{t("purchases.progress.noPickups")}</p>
        ) : (
          <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white">
            {pickups.map((group) => (
              <li key={group.id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
                <span>
                  {group.title} · {group.pickupPoint} · {formatDate(group.deliveryDate, tag)}
                </span>
                <RowAction
                  intent="pickup"
                  fields={{ groupOrderId: group.id }}
                  label={t("purchases.progress.confirmPickup")}
                  pendingLabel={t("purchases.progress.confirmingPickup")}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
