import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { withinVillage } from "~/domain/cooperative/scope.server";
import { BulkTaskProgress } from "~/components/bulk-task";
import { demandBySku, groupOrdersToPick, pickingList } from "~/domain/cooperative/fulfilment.server";
import { isDomainError } from "~/domain/errors";
import { latestBulkTask, startFulfilment } from "~/domain/group-orders/bulk.server";
import type { MessageKey } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { isoDay } from "~/utils/dates";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const groupOrderId = new URL(request.url).searchParams.get("group") ?? "";
  const groups = await withinVillage(groupOrdersToPick(user));
  const selected = groups.find((g) => g.id === groupOrderId) ?? null;
  const households = await withinVillage(pickingList(user, selected ? { groupOrderId: selected.id } : { delivery: true }));
  const task = selected ? await latestBulkTask(selected.id, ["fulfil"]) : null;
  return { groups, selected, households, totals: demandBySku(households), task };
}

const AdvanceForm = z.object({ groupOrderId: z.string().min(1), step: z.enum(["packed", "shipped", "delivered"]) });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop");
  const parsed = AdvanceForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, error: "invalid" }, { status: 400 });
  try {
    const started = await withinVillage(startFulfilment(user, parsed.data.groupOrderId, parsed.data.step));
    return data({ ok: true as const, moved: started.orders });
  } catch (error) {
    if (isDomainError(error)) return data({ ok: false as const, error: error.code }, { status: error.status });
    throw error;
  }
}

export default function CoopPicking() {
  const t = useT();
  const locale = useLocale();
  const { groups, selected, households, totals, task } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("cooperative.picking.title")} />
      <Form method="get" className="flex flex-wrap gap-2">
        <select
          name="group"
          defaultValue={selected?.id ?? ""}
          aria-label={t("cooperative.picking.title")}
          className="rounded-md border border-stone-300 px-3 py-2"
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
      {result ? (
        <p role={result.ok ? "status" : "alert"}>
          {result.ok ? t("cooperative.picking.moved", { count: result.moved }) : t(result.error as MessageKey)}
        </p>
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
                <li key={s.skuCode}>
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
          <ol className="space-y-3">
            {households.map((h) => (
              <li key={h.householdCode} className="rounded-lg border border-stone-200 bg-white p-3">
                <p className="font-medium">{h.householdDisplayName ? `${h.householdCode} ${h.householdDisplayName}` : h.householdCode}</p>
                <ul className="text-sm">
                  {h.items.map((i) => (
                    <li key={`${i.skuCode}-${i.lotCode}`}>
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
      {selected ? (
        <Form method="post" className="flex flex-wrap gap-2">
          <input type="hidden" name="groupOrderId" value={selected.id} />
          {(["packed", "shipped", "delivered"] as const).map((step) => (
            <button
              key={step}
              type="submit"
              name="step"
              value={step}
              className="rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm"
            >
              {t(`cooperative.steps.${step}`)}
            </button>
          ))}
        </Form>
      ) : null}
    </div>
  );
}
