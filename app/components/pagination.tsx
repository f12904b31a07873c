import { Link, useSearchParams } from "@remix-run/react";
import { useT } from "~/i18n/react";

/** Previous/next links that keep the other search parameters (e.g. the search query). */
export function Pagination({ page, pages }: { page: number; pages: number }) {
  const t = useT();
  const [searchParams] = useSearchParams();
  if (pages <= 1) return null;
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(searchParams);
    params.set("page", String(target));
    return `?${params}`;
  };
  const linkClass = "rounded border border-stone-300 px-3 py-1 hover:border-brand-500";
  return (
    <nav aria-label={t("common.pageOf", { page, pages })} className="flex items-center gap-3 text-sm">
      {page > 1 ? (
        <Link className={linkClass} to={hrefFor(page - 1)} rel="prev">
          {t("common.previous")}
        </Link>
      ) : null}
      <span>{t("common.pageOf", { page, pages })}</span>
      {page < pages ? (
        <Link className={linkClass} to={hrefFor(page + 1)} rel="next">
          {t("common.next")}
        </Link>
      ) : null}
    </nav>
  );
}
