import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { useLocalizedName, useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, phone: user.phone, email: user.email, unit: user.unit, roles: user.roles };
}

export default function AccountPage() {
  const t = useT();
  const localizedName = useLocalizedName();
  const account = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <PageHeader title={t("account.title")} />
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
