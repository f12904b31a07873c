import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { SearchForm } from "~/components/forms";
import { PageHeader } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { searchUsers } from "~/domain/accounts/users.server";
import { useLocalizedName, useT } from "~/i18n/react";
import { pageTitle } from "~/utils/meta";
import { parsePageQuery } from "~/utils/search-params";

export const meta = pageTitle("admin.usersTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { q, page } = parsePageQuery(request);
  return { q, page, ...(await searchUsers(q, page)) };
}

export default function AdminUsers() {
  const t = useT();
  const localizedName = useLocalizedName();
  const { q, page, pages, total, users } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <PageHeader title={t("admin.usersTitle")} body={t("admin.counts", { count: total })} />
      <SearchForm label={t("admin.searchUsers")} defaultValue={q} />
      {users.length === 0 ? (
        <p className="text-stone-600">{t("admin.noUsers")}</p>
      ) : (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white">
          {users.map((user) => (
            <li key={user.id}>
              <Link to={user.id} className="flex flex-wrap items-baseline gap-x-4 p-4 hover:bg-stone-50">
                <span className="font-medium">{user.name}</span>
                <span className="text-sm text-stone-600">{user.phone ?? user.email}</span>
                <span className="text-sm text-stone-600">{user.unit ? localizedName(user.unit) : t("admin.noUnit")}</span>
                <span className="text-sm">{user.roles.map((r) => t(`roles.${r.role}`)).join("、")}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}
