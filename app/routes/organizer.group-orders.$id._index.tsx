import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { FormAlert, SubmitButton } from "~/components/forms";
import { OrderStatusBadge } from "~/components/order-status";
import { PageHeader, StatCard } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { canApply, parseShopDate, parseShopDateTime, toShopDateTimeInput } from "~/domain/group-orders/state";
import {
  cancelGroupOrder,
  closeGroupOrderEarly,
  extendGroupOrder,
  getGroupOrderForOrganizer,
  GroupOrderError,
  groupOrderDashboard,
  markGroupOrderDelivered,
} from "~/domain/group-orders/commands.server";
import { formatFen } from "~/domain/money";
import { pendingUnitSettlement, recordUnitSettlement, yuanTextToFen } from "~/domain/group-orders/settlement.server";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime, shopDateOf } from "~/utils/dates";
import { parsePageQuery } from "~/utils/search-params";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const group = await getGroupOrderForOrganizer(user, params.id ?? "");
  const query = parsePageQuery(request);
  const [dashboard, pendingSettlement] = await Promise.all([groupOrderDashboard(group.id, query), pendingUnitSettlement(group.id)]);
  return { group, ...dashboard, pendingSettlement, q: query.q, page: query.page, today: shopDateOf(new Date()) };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("close") }),
  z.object({ intent: z.literal("deliver") }),
  z.object({ intent: z.literal("cancel") }),
  z.object({
    intent: z.literal("extend"),
    closesAt: z
      .string()
      .transform(
        (v, ctx) => parseShopDateTime(v) ?? (ctx.addIssue({ code: "custom", message: "groupOrders.errors.invalidDate" }), z.NEVER),
      ),
  }),
  z.object({
    intent: z.literal("settle"),
    amount: z
      .string()
      .transform((v, ctx) => yuanTextToFen(v) ?? (ctx.addIssue({ code: "custom", message: "groupOrders.errors.invalidAmount" }), z.NEVER)),
    reference: z.string().trim().min(1, "groupOrders.errors.required").max(100),
    paidOn: z
      .string()
      .transform((v, ctx) => parseShopDate(v) ?? (ctx.addIssue({ code: "custom", message: "groupOrders.errors.invalidDate" }), z.NEVER)),
  }),
]);

type ActionResult = { intent: string; ok: boolean; errors: string[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const id = params.id ?? "";
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const errors = [
      ...new Set(
        parsed.error.issues.map((issue) => (issue.message.startsWith("groupOrders.") ? issue.message : "groupOrders.errors.required")),
      ),
    ];
    return data<ActionResult>({ intent: "", ok: false, errors }, { status: 400 });
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "close":
        await closeGroupOrderEarly(user, id);
        break;
      case "deliver":
        await markGroupOrderDelivered(user, id);
        break;
      case "cancel":
        await cancelGroupOrder(user, id);
        break;
      case "extend":
        await extendGroupOrder(user, id, input.closesAt);
        break;
      case "settle":
        await recordUnitSettlement(user, id, { amountFen: input.amount, reference: input.reference, paidOn: input.paidOn });
        break;
    }
    return data<ActionResult>({ intent: input.intent, ok: true, errors: [] });
  } catch (error) {
    if (error instanceof GroupOrderError)
      return data<ActionResult>(
        { intent: input.intent, ok: false, errors: error.problems.map((p) => `groupOrders.errors.${p}`) },
        { status: 409 },
      );
    throw error;
  }
}

export default function GroupOrderDashboard() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const { group, orders, count, pages, page, q, byStatus, skuTotals, participants, pendingSettlement, today } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sum = (status: string) =>
    byStatus.filter((row) => row.status === status).reduce((total, row) => total + (row._sum.totalFen ?? 0), 0);
  const name = (names: { nameZh: string; nameEn: string }) => (locale === "en" ? names.nameEn : names.nameZh);
  const base = `/organizer/group-orders/${group.id}`;
  return (
    <div className="space-y-6">
      <PageHeader
        title={group.title}
        body={t("groupOrders.pickup", { place: group.pickupPoint, date: formatDate(group.deliveryDate, tag) })}
      >
        <p className="text-sm text-stone-600">
          <span className="mr-2 rounded bg-brand-50 px-2 py-0.5 font-medium text-brand-700" data-testid="group-state">
            {t(`groupOrders.state.${group.state}`)}
          </span>
          {t("groupOrders.window", { opens: formatDateTime(group.opensAt, tag), closes: formatDateTime(group.closesAt, tag) })}
        </p>
        <p className="text-sm text-stone-600">{group.units.map(({ unit }) => (locale === "en" ? unit.nameEn : unit.name)).join("、")}</p>
      </PageHeader>

      {result?.ok ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {t(`groupOrders.done.${result.intent as "close"}`)}
        </p>
      ) : (
        <FormAlert errors={result?.errors} />
      )}

      <div className="grid gap-3 sm:grid-cols-4">
        <StatCard label={t("groupOrders.participants")} value={participants} />
        <StatCard label={t("groupOrders.orders")} value={byStatus.reduce((n, row) => n + row._count._all, 0)} />
        <StatCard label={t("groupOrders.paidTotal")} value={formatFen(sum("paid"))} />
        <StatCard label={t("groupOrders.unpaidTotal")} value={formatFen(sum("pending_payment"))} />
      </div>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("groupOrders.actions")}</h2>
        <div className="flex flex-wrap items-end gap-3">
          <a
            className="rounded border border-stone-300 px-3 py-2 text-sm hover:border-brand-500"
            href={`${base}/export?report=pickup`}
            download
          >
            {t("groupOrders.exportPickupCsv")}
          </a>
          <a
            className="rounded border border-stone-300 px-3 py-2 text-sm hover:border-brand-500"
            href={`${base}/export?report=totals`}
            download
          >
            {t("groupOrders.exportTotalsCsv")}
          </a>
          <a
            className="rounded border border-stone-300 px-3 py-2 text-sm hover:border-brand-500"
            href={`${base}/export?report=pickup&format=xlsx`}
            download
          >
            {t("groupOrders.exportPickupXlsx")}
          </a>
          <a
            className="rounded border border-stone-300 px-3 py-2 text-sm hover:border-brand-500"
            href={`${base}/export?report=totals&format=xlsx`}
            download
          >
            {t("groupOrders.exportTotalsXlsx")}
          </a>
          <Link className="rounded border border-stone-300 px-3 py-2 text-sm hover:border-brand-500" to={`${base}/print`}>
            {t("groupOrders.print")}
          </Link>
          {canApply("close", group.state) ? <IntentButton intent="close" label={t("groupOrders.closeNow")} /> : null}
          {canApply("deliver", group.state) ? <IntentButton intent="deliver" label={t("groupOrders.markDelivered")} /> : null}
          {canApply("cancel", group.state) ? (
            <IntentButton intent="cancel" label={t("groupOrders.cancel")} confirm={t("groupOrders.cancelConfirm")} />
          ) : null}
        </div>
        {canApply("extend", group.state) ? (
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="extend" />
            <label className="text-sm">
              {t("groupOrders.newClosesAt")}
              <input
                type="datetime-local"
                name="closesAt"
                required
                defaultValue={toShopDateTimeInput(new Date(group.closesAt))}
                className="ml-2 rounded border border-stone-300 px-2 py-1"
              />
            </label>
            <button type="submit" className="rounded border border-stone-300 px-3 py-1.5 text-sm hover:border-brand-500">
              {t("groupOrders.extend")}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("groupOrders.settlement.title")}</h2>
        {group.settlement ? (
          <p className="text-sm">
            {t("groupOrders.settlement.recorded", {
              amount: formatFen(group.settlement.amountFen),
              reference: group.settlement.reference,
              date: formatDate(group.settlement.paidOn, tag),
            })}
          </p>
        ) : pendingSettlement.orders === 0 ? (
          <p className="text-sm text-stone-600">{t("groupOrders.settlement.none")}</p>
        ) : (
          <>
            <p className="text-sm">
              {t("groupOrders.settlement.pending", { count: pendingSettlement.orders, amount: formatFen(pendingSettlement.totalFen) })}
            </p>
            {canApply("settle", group.state) ? (
              <Form method="post" className="grid max-w-2xl gap-3 sm:grid-cols-3">
                <input type="hidden" name="intent" value="settle" />
                <LabelledInput label={t("groupOrders.settlement.amount")}>
                  <input
                    name="amount"
                    inputMode="decimal"
                    required
                    pattern="\d{1,9}(\.\d{1,2})?"
                    className="w-full rounded border border-stone-300 px-2 py-1.5"
                  />
                </LabelledInput>
                <LabelledInput label={t("groupOrders.settlement.reference")}>
                  <input name="reference" required maxLength={100} className="w-full rounded border border-stone-300 px-2 py-1.5" />
                </LabelledInput>
                <LabelledInput label={t("groupOrders.settlement.paidOn")}>
                  <input
                    name="paidOn"
                    type="date"
                    required
                    defaultValue={today}
                    className="w-full rounded border border-stone-300 px-2 py-1.5"
                  />
                </LabelledInput>
                <div className="sm:col-span-3">
                  <SubmitButton label={t("groupOrders.settlement.submit")} pendingLabel={t("groupOrders.settlement.submitting")} />
                </div>
              </Form>
            ) : (
              <p className="text-sm text-stone-600">{t("groupOrders.settlement.onlyWhenClosed")}</p>
            )}
          </>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("groupOrders.skuTotals")}</h2>
        <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
          <thead className="bg-stone-50 text-left">
            <tr>
              <th className="p-2">{t("groupOrders.items")}</th>
              <th className="p-2 text-right">{t("groupOrders.quantity")}</th>
              <th className="p-2 text-right">{t("groupOrders.paidQuantity")}</th>
              <th className="p-2 text-right">{t("groupOrders.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {skuTotals.map((row) => (
              <tr key={row.skuId} className="border-t border-stone-100">
                <td className="p-2">{locale === "en" ? `${row.productEn} ${row.skuEn}` : `${row.productZh} ${row.skuZh}`}</td>
                <td className="p-2 text-right">{row.quantity}</td>
                <td className="p-2 text-right">{row.paidQuantity}</td>
                <td className="p-2 text-right">{formatFen(row.totalFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">
          {t("groupOrders.orders")} · {t("groupOrders.orderCount", { count })}
        </h2>
        <Form method="get" className="flex gap-2">
          <input
            type="search"
            name="q"
            defaultValue={q}
            placeholder={t("groupOrders.searchPlaceholder")}
            aria-label={t("common.search")}
            className="rounded border border-stone-300 px-2 py-1.5"
          />
          <button type="submit" className="rounded border border-stone-300 px-3 py-1.5 text-sm">
            {t("common.search")}
          </button>
        </Form>
        {orders.length === 0 ? (
          <p className="text-stone-600">{t("groupOrders.noOrders")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
              <thead className="bg-stone-50 text-left">
                <tr>
                  <th className="p-2">{t("groupOrders.number")}</th>
                  <th className="p-2">{t("groupOrders.buyer")}</th>
                  <th className="p-2">{t("groupOrders.unit")}</th>
                  <th className="p-2">{t("groupOrders.items")}</th>
                  <th className="p-2 text-right">{t("groupOrders.amount")}</th>
                  <th className="p-2">{t("groupOrders.status")}</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((order) => (
                  <tr key={order.id} className="border-t border-stone-100">
                    <td className="p-2 font-mono text-xs">{order.number}</td>
                    <td className="p-2">{order.user.name}</td>
                    <td className="p-2">{order.unit ? (locale === "en" ? order.unit.nameEn : order.unit.name) : ""}</td>
                    <td className="p-2">
                      {order.lines.map((line) => `${name(line.sku.product)} ${name(line.sku)} × ${line.quantity}`).join("；")}
                    </td>
                    <td className="p-2 text-right">{formatFen(order.totalFen)}</td>
                    <td className="p-2">
                      <OrderStatusBadge status={order.status} fulfilmentStatus={order.fulfilmentStatus} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={page} pages={pages} />
      </section>
    </div>
  );
}

function IntentButton({ intent, label, confirm }: { intent: string; label: string; confirm?: string }) {
  return (
    <Form method="post" onSubmit={(event) => (confirm && !window.confirm(confirm) ? event.preventDefault() : undefined)}>
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className="rounded border border-stone-300 px-3 py-2 text-sm hover:border-brand-500">
        {label}
      </button>
    </Form>
  );
}

function LabelledInput({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="block text-sm font-medium text-stone-700">
      {label}
      <span className="mt-1 block">{children}</span>
    </label>
  );
}
