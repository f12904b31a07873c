import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { formatFen } from "~/domain/money";
import { creditedSummaryForUser } from "~/domain/shop/orders.server";
import { useLocalizedName, useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("account.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const credited = await creditedSummaryForUser(user.id);
  return { name: user.name, phone: user.phone, email: user.email, unit: user.unit, roles: user.roles, credited };
}

export default function AccountPage() {
  const t = useT();
  const localizedName = useLocalizedName();
  const account = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("account.title")} />
      <section className="rounded-lg border border-green-200 bg-green-50 p-4">
        <p className="text-lg font-semibold text-green-900">
          {account.credited.households > 0
            ? t("orders.summary", { amount: formatFen(account.credited.totalFen), households: account.credited.households })
            : t("orders.summaryEmpty")}
        </p>
        <Link to="/orders" className="mt-2 inline-block text-brand-700 underline">
          {t("orders.title")}
        </Link>
      </section>
      <dl className="grid max-w-md grid-cols-[auto_1fr] gap-x-6 gap-y-2 rounded-lg border border-stone-200 bg-white p-4">
        <dt className="text-stone-600">{t("auth.name")}</dt>
        <dd>{account.name}</dd>
        <dt className="text-stone-600">{t("account.phone")}</dt>
        <dd>{account.phone ?? t("common.none")}</dd>
        <dt className="text-stone-600">{t("account.email")}</dt>
        <dd>{account.email ?? t("common.none")}</dd>
        <dt className="text-stone-600">{t("account.unit")}</dt>
        <dd>{account.unit ? localizedName(account.unit) : t("common.none")}</dd>
        <dt className="text-stone-600">{t("account.roles")}</dt>
        <dd>{account.roles.map((role) => t(`roles.${role}`)).join("、")}</dd>
      </dl>
    </div>
  );
}
