import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { DoneNote, Field, FormAlert, SubmitButton } from "~/components/forms";
import { OrderStatusBadge } from "~/components/order-status";
import { DataTable } from "~/components/data-table";
import { PageHeader, StatCard } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { FetcherOutcome, RowAction } from "~/components/row-action";
import { getGroupOrderForOrganizer, isAdmin } from "~/domain/group-orders/access.server";
import { BulkTaskProgress } from "~/components/bulk-task";
import { latestBulkTask, startCancellation, startSettlement } from "~/domain/group-orders/bulk.server";
import { closeGroupOrderEarly, extendGroupOrder, markGroupOrderDelivered } from "~/domain/group-orders/commands.server";
import { groupOrderDashboard } from "~/domain/group-orders/queries.server";
import { GroupOrderActionSchema } from "~/domain/group-orders/schemas";
import { pendingUnitSettlements } from "~/domain/group-orders/settlement.server";
import { canApply } from "~/domain/group-orders/state";
import { formatFen } from "~/domain/money";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDate, formatDateTime, shopDateOf, toShopDateTimeInput } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle<typeof loader>((t, data) => data?.group.title ?? t("groupOrders.dashboard"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const group = await getGroupOrderForOrganizer(user, params.id ?? "");
  const query = parsePageQuery(request);
  const [dashboard, pendingSettlements, task] = await Promise.all([
    groupOrderDashboard(group.id, query, group.unitScope),
    pendingUnitSettlements(group.id, group.unitScope),
    latestBulkTask(group.id, ["settle", "cancel"], group.unitScope),
  ]);
  // An organizer records their own unit's settlement only; an admin any unit's.
  const settlesFor = isAdmin(user) ? null : user.unitId;
  return { group, ...dashboard, pendingSettlements, settlesFor, task, q: query.q, page: query.page, today: shopDateOf(new Date()) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "organizer", "admin");
  const submission = await parseForm(request, GroupOrderActionSchema);
  if (submission.status !== "success") return invalid(submission);
  const id = params.id ?? "";
  const input = submission.value;
  return runCommand(submission, async () => {
    switch (input.intent) {
      case "close":
        await closeGroupOrderEarly(user, id);
        break;
      case "deliver":
        await markGroupOrderDelivered(user, id);
        break;
      case "cancel":
        await startCancellation(user, id);
        break;
      case "extend":
        await extendGroupOrder(user, id, input.closesAt);
        break;
      case "settle":
        await startSettlement(user, id, input.unitId, { amountFen: input.amount, reference: input.reference, paidOn: input.paidOn });
        break;
    }
    return done(submission, `groupOrders.done.${input.intent}`);
  });
}

/** Close, deliver and cancel share one fetcher: each removes its own button, and its answer stays above them. */
const STEP_FETCHER = "group-order-step";
const settleFetcher = (unitId: string) => `group-order-settle-${unitId}`;

export default function GroupOrderDashboard() {
  const t = useT();
  const locale = useLocale();
  const tag = languageTag(locale);
  const { group, orders, count, pages, page, q, byStatus, skuTotals, participants, pendingSettlements, settlesFor, task, today } =
    useLoaderData<typeof loader>();
  const unitName = (unitId: string) => {
    const unit = group.units.find((row) => row.unit.id === unitId)?.unit;
    return unit ? (locale === "en" ? unit.nameEn : unit.name) : "";
  };
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

      <div className="grid gap-3 sm:grid-cols-4">
        <StatCard label={t("groupOrders.participants")} value={participants} />
        <StatCard label={t("groupOrders.orders")} value={byStatus.reduce((n, row) => n + row._count._all, 0)} />
        <StatCard label={t("groupOrders.paidTotal")} value={formatFen(sum("paid"))} />
        <StatCard label={t("groupOrders.unpaidTotal")} value={formatFen(sum("pending_payment"))} />
      </div>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("groupOrders.actions")}</h2>
        <FetcherOutcome fetcherKey={STEP_FETCHER} />
        <BulkTaskProgress task={task} />
        <div className="flex flex-wrap items-start gap-3">
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
          <Link className="rounded border border-stone-300 px-3 py-2 text-sm hover:border-brand-500" to={`${base}/poster`}>
            {t("posters.share")}
          </Link>
          {group.runsIt && canApply("close", group.state) ? (
            <RowAction
              intent="close"
              fetcherKey={STEP_FETCHER}
              label={t("groupOrders.closeNow")}
              pendingLabel={t("groupOrders.closing")}
              confirm={t("groupOrders.closeConfirm")}
              confirmLabel={t("groupOrders.closeYes")}
            />
          ) : null}
          {group.runsIt && canApply("deliver", group.state) ? (
            <RowAction
              intent="deliver"
              fetcherKey={STEP_FETCHER}
              label={t("groupOrders.markDelivered")}
              pendingLabel={t("groupOrders.delivering")}
              confirm={t("groupOrders.deliverConfirm")}
              confirmLabel={t("groupOrders.deliverYes")}
            />
          ) : null}
          {group.runsIt && canApply("cancel", group.state) ? (
            <RowAction
              intent="cancel"
              fetcherKey={STEP_FETCHER}
              label={t("groupOrders.cancel")}
              pendingLabel={t("groupOrders.cancelling")}
              confirm={t("groupOrders.cancelConfirm")}
              confirmLabel={t("groupOrders.cancelYes")}
            />
          ) : null}
        </div>
        {group.runsIt && canApply("extend", group.state) ? <ExtendForm closesAt={group.closesAt} /> : null}
      </section>

      <section className="space-y-3" data-testid="settlements">
        <h2 className="text-lg font-semibold">{t("groupOrders.settlement.title")}</h2>
        {/* Outside each unit's block, which goes once the unit has settled: the answer stays in view. */}
        {group.units.map(({ unit }) => (
          <FetcherOutcome key={unit.id} fetcherKey={settleFetcher(unit.id)} withErrors={false} />
        ))}
        {group.settlements.map((settlement) => (
          <div key={settlement.id} className="flex flex-wrap items-center gap-3 text-sm" data-testid={`settlement-${settlement.unitId}`}>
            <p>
              {t("groupOrders.unitSettlement.recorded", {
                unit: unitName(settlement.unitId),
                amount: formatFen(settlement.amountFen),
                reference: settlement.reference,
                date: formatDate(settlement.paidOn, tag),
              })}
            </p>
            <Link className="text-brand-700 underline" to={`${base}/statement/${settlement.unitId}`}>
              {t("groupOrders.unitSettlement.statement")}
            </Link>
            <a className="text-brand-700 underline" href={`${base}/statement/${settlement.unitId}/xlsx`} download>
              {t("groupOrders.unitSettlement.statementXlsx")}
            </a>
          </div>
        ))}
        {pendingSettlements.length === 0 && group.settlements.length === 0 ? (
          <p className="text-sm text-stone-600">{t("groupOrders.settlement.none")}</p>
        ) : null}
        {pendingSettlements.map((pending) => (
          <div key={pending.unitId} className="space-y-2" data-testid={`pending-${pending.unitId}`}>
            <p className="text-sm">
              {t("groupOrders.unitSettlement.pending", {
                unit: locale === "en" ? pending.nameEn : pending.name,
                count: pending.orders,
                amount: formatFen(pending.totalFen),
              })}
            </p>
            {settlesFor !== null && settlesFor !== pending.unitId ? (
              <p className="text-sm text-stone-600">{t("groupOrders.unitSettlement.otherUnitsPending")}</p>
            ) : canApply("settle", group.state) ? (
              <SettlementForm
                today={today}
                unitId={pending.unitId}
                label={t("groupOrders.unitSettlement.settleFor", { unit: locale === "en" ? pending.nameEn : pending.name })}
              />
            ) : (
              <p className="text-sm text-stone-600">{t("groupOrders.settlement.onlyWhenClosed")}</p>
            )}
          </div>
        ))}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("groupOrders.skuTotals")}</h2>
        <DataTable
          caption={t("groupOrders.skuTotals")}
          rows={skuTotals}
          rowKey={(row) => row.skuId}
          columns={[
            {
              header: t("groupOrders.items"),
              cell: (row) => (locale === "en" ? `${row.productEn} ${row.skuEn}` : `${row.productZh} ${row.skuZh}`),
            },
            { header: t("groupOrders.quantity"), cell: (row) => row.quantity, numeric: true },
            { header: t("groupOrders.paidQuantity"), cell: (row) => row.paidQuantity, numeric: true },
            { header: t("groupOrders.amount"), cell: (row) => formatFen(row.totalFen), numeric: true },
          ]}
        />
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
          <DataTable
            caption={t("groupOrders.orders")}
            rows={orders}
            rowKey={(order) => order.id}
            columns={[
              { header: t("groupOrders.number"), cell: (order) => <span className="font-mono text-xs">{order.number}</span> },
              { header: t("groupOrders.buyer"), cell: (order) => order.user.name },
              {
                header: t("groupOrders.unit"),
                cell: (order) => (order.unit ? (locale === "en" ? order.unit.nameEn : order.unit.name) : ""),
              },
              {
                header: t("groupOrders.items"),
                cell: (order) => order.lines.map((line) => `${name(line.sku.product)} ${name(line.sku)} × ${line.quantity}`).join("；"),
              },
              { header: t("groupOrders.amount"), cell: (order) => formatFen(order.totalFen), numeric: true },
              {
                header: t("groupOrders.status"),
                cell: (order) => <OrderStatusBadge status={order.status} fulfilmentStatus={order.fulfilmentStatus} />,
              },
            ]}
          />
        )}
        <Pagination page={page} pages={pages} />
      </section>
    </div>
  );
}

/** A later closing time, sent through its own fetcher so the rest of the page stays usable. */
function ExtendForm({ closesAt }: { closesAt: Date | string }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>();
  const [form, fields] = useForm({
    id: "extend",
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    defaultValue: { closesAt: toShopDateTimeInput(new Date(closesAt)) },
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/group-orders/schemas").then((m) => m.ExtendSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="flex max-w-md flex-wrap items-end gap-2">
      <input type="hidden" name="intent" value="extend" />
      <div className="min-w-56 flex-1">
        <Field
          label={t("groupOrders.newClosesAt")}
          errors={fields.closesAt.errors}
          inputProps={getInputProps(fields.closesAt, { type: "datetime-local" })}
        />
      </div>
      <SubmitButton
        label={t("groupOrders.extend")}
        pendingLabel={t("groupOrders.extending")}
        pending={fetcher.state !== "idle"}
        variant="secondary"
      />
      <div className="w-full">
        <FormAlert errors={form.errors} />
        <DoneNote message={fetcher.state === "idle" ? fetcher.data?.done : null} />
      </div>
    </fetcher.Form>
  );
}

/** One unit's payment for its members' unit-settled orders: the amount must equal what they owe, to the fen. */
function SettlementForm({ today, unitId, label }: { today: string; unitId: string; label: string }) {
  const t = useT();
  const fetcher = useFetcher<FormAnswer>({ key: settleFetcher(unitId) });
  const [form, fields] = useForm({
    id: `settle-${unitId}`,
    lastResult: fetcher.state === "idle" ? fetcher.data?.result : undefined,
    defaultValue: { paidOn: today },
    shouldValidate: "onBlur",
    onValidate: useSchemaValidation(() => import("~/domain/group-orders/schemas").then((m) => m.SettlementSchema)),
  });
  return (
    <fetcher.Form method="post" {...getFormProps(form)} className="grid max-w-2xl gap-3 sm:grid-cols-3" aria-label={label}>
      <input type="hidden" name="intent" value="settle" />
      <input type="hidden" name="unitId" value={unitId} />
      <div className="sm:col-span-3">
        <FormAlert errors={form.errors} />
      </div>
      <Field
        label={t("groupOrders.settlement.amount")}
        errors={fields.amount.errors}
        inputProps={{ ...getInputProps(fields.amount, { type: "text" }), inputMode: "decimal" }}
      />
      <Field
        label={t("groupOrders.settlement.reference")}
        errors={fields.reference.errors}
        inputProps={getInputProps(fields.reference, { type: "text" })}
      />
      <Field
        label={t("groupOrders.settlement.paidOn")}
        errors={fields.paidOn.errors}
        inputProps={getInputProps(fields.paidOn, { type: "date" })}
      />
      <div className="sm:col-span-3">
        <SubmitButton
          label={t("groupOrders.settlement.submit")}
          pendingLabel={t("groupOrders.settlement.submitting")}
          pending={fetcher.state !== "idle"}
        />
      </div>
    </fetcher.Form>
  );
}
