import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useSubmit } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { BulkTaskProgress } from "~/components/bulk-task";
import { FetcherOutcome, RowAction } from "~/components/row-action";
import { demandBySku, groupOrderProgress, groupOrdersToPick, pickingList } from "~/domain/cooperative/fulfilment.server";
import { PickingStepSchema } from "~/domain/cooperative/schemas";
import { latestBulkTask, startFulfilment } from "~/domain/group-orders/bulk.server";
import { useLocale, useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("cooperative.picking.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const groupOrderId = new URL(request.url).searchParams.get("group") || null;
  const [groups, households, progress, task] = await Promise.all([
    groupOrdersToPick(user),
    pickingList(user, groupOrderId ? { groupOrderId } : { delivery: true }),
    groupOrderId ? groupOrderProgress(user, groupOrderId) : null,
    groupOrderId ? latestBulkTask(groupOrderId, ["fulfil"]) : null,
  ]);
  return { groups, groupOrderId, households, totals: demandBySku(households), progress, task };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const submission = await parseForm(request, PickingStepSchema);
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const { groupOrderId, step } = submission.value;
  return runCommand(submission, async () => {
    const started = await startFulfilment(user, groupOrderId, step);
    return done(submission, "cooperative.picking.moved", { count: started.orders });
  });
}

/** Each step replaces its own button once done; its answer stays above them. */
const STEP_FETCHER = "picking-step";

export default function CoopPicking() {
  const t = useT();
  const locale = useLocale();
  const submit = useSubmit();
  const { groups, groupOrderId, households, totals, progress, task } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("cooperative.picking.title")} />
      <Form method="get" className="grid grid-cols-[minmax(0,1fr)_auto] gap-2 sm:max-w-2xl">
        <select
          key={groupOrderId ?? ""}
          name="group"
          defaultValue={groupOrderId ?? ""}
          aria-label={t("cooperative.picking.title")}
          onChange={(event) => submit(event.currentTarget.form)}
          className="w-full rounded-md border border-stone-300 bg-white px-3 py-2"
        >
          <option value="">{t("cooperative.picking.delivery")}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {t("cooperative.picking.group", { title: g.title, place: g.pickupPoint, date: isoDay(g.deliveryDate) })}
            </option>
          ))}
        </select>
        <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2">
          {t("cooperative.picking.choose")}
        </button>
      </Form>
      {groupOrderId && progress ? (
        <section className="space-y-2" aria-label={t("cooperative.steps.title")}>
          <FetcherOutcome fetcherKey={STEP_FETCHER} />
          <div className="flex flex-wrap items-start gap-2">
            {progress.waiting.map(({ step, count }) => (
              <RowAction
                key={step}
                intent="step"
                fields={{ groupOrderId, step }}
                fetcherKey={STEP_FETCHER}
                label={t(`cooperative.picking.steps.${step}`, { count })}
                pendingLabel={t("cooperative.steps.pending")}
                confirm={t(`cooperative.picking.confirm.${step}`, { count })}
                confirmLabel={t(`cooperative.steps.yes.${step}`)}
              />
            ))}
          </div>
          {progress.waiting.length === 0 && progress.delivered > 0 ? (
            <p className="text-sm text-stone-600">{t("cooperative.picking.allDone")}</p>
          ) : null}
        </section>
      ) : null}
      <BulkTaskProgress task={task} />
      {households.length === 0 ? (
        <p className="text-stone-600">{t("cooperative.picking.empty")}</p>
      ) : (
        <>
          <section aria-labelledby="totals" className="rounded-lg border border-stone-200 bg-white p-3">
            <h2 id="totals" className="font-medium">
              {t("cooperative.picking.totals")}
            </h2>
            <ul className="text-sm">
              {totals.map((s) => (
                <li key={s.skuCode} className="break-words">
                  {t("cooperative.picking.total", {
                    quantity: s.quantity,
                    product: locale === "en" ? s.productNameEn : s.productNameZh,
                    sku: locale === "en" ? s.skuNameEn : s.skuNameZh,
                    code: s.skuCode,
                  })}
                </li>
              ))}
            </ul>
          </section>
          <ol className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            {households.map((h) => (
              <li key={h.householdCode} className="rounded-lg border border-stone-200 bg-white p-3">
                <p className="font-medium">{h.householdDisplayName ? `${h.householdCode} ${h.householdDisplayName}` : h.householdCode}</p>
                <ul className="text-sm">
                  {h.items.map((i) => (
                    <li key={`${i.skuCode}-${i.lotCode}`} className="break-words">
                      {t("cooperative.picking.item", {
                        quantity: i.quantity,
                        product: locale === "en" ? i.productNameEn : i.productNameZh,
                        sku: locale === "en" ? i.skuNameEn : i.skuNameZh,
                        lot: i.lotCode,
                      })}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
