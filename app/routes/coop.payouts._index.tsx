import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { SearchForm } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { producersWithBalance } from "~/domain/cooperative/scope.server";
import { formatFen } from "~/domain/money";
import { useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";

export const meta = pageTitle("cooperative.payouts.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop");
  const { q, page } = parsePageQuery(request);
  const { households, pages } = await producersWithBalance(user, { q, page });
  return { q, households, page, pages };
}

export default function CoopPayouts() {
  const t = useT();
  const { q, households, page, pages } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("cooperative.payouts.title")} />
      <SearchForm label={t("cooperative.lots.household")} defaultValue={q} />
      <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
        {households.map((h) => (
          <li key={h.id}>
            <Link to={h.id} className="flex flex-wrap items-baseline gap-x-4 p-3 hover:bg-stone-50">
              <span className="font-mono">{h.code}</span>
              <span className="min-w-0 break-words">{h.displayName ?? ""}</span>
              <span className="ml-auto">{formatFen(h.balanceFen)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <Pagination page={page} pages={pages} />
    </div>
  );
}
