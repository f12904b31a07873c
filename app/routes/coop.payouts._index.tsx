import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { producersWithBalance, withinVillage } from "~/domain/cooperative/scope.server";
import { formatFen } from "~/domain/money";
import { useT } from "~/i18n/react";
import { parsePageQuery } from "~/utils/search-params";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const { q, page } = parsePageQuery(request);
  return { q, ...(await withinVillage(producersWithBalance(user, { q, page }))) };
}

export default function CoopPayouts() {
  const t = useT();
  const { q, households, page, pages } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("cooperative.payouts.title")} />
      <Form method="get" role="search" className="flex gap-2">
        <input
          type="search"
          name="q"
          defaultValue={q}
          aria-label={t("cooperative.lots.household")}
          placeholder={t("cooperative.lots.household")}
          className="w-full max-w-xs rounded-md border border-stone-300 px-3 py-2"
        />
        <button type="submit" className="rounded-md border border-stone-300 bg-white px-4 py-2">
          {t("common.search")}
        </button>
      </Form>
      <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
        {households.map((h) => (
          <li key={h.id}>
            <Link to={h.id} className="flex gap-4 p-3 hover:bg-stone-50">
              <span className="font-mono">{h.code}</span>
              <span>{h.displayName ?? ""}</span>
              <span className="ml-auto">{formatFen(h.balanceFen)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <Pagination page={page} pages={pages} />
    </div>
  );
}
