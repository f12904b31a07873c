import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { hasRole, requireRole, type SessionUser } from "~/auth/guards.server";
import { PageHeader } from "~/components/page";
import { RowAction } from "~/components/row-action";
import { cooperativeRatings, hideRatingComment } from "~/domain/purchases/ratings.server";
import { HideCommentSchema } from "~/domain/purchases/schemas";
import { languageTag } from "~/i18n/i18n";
import { useLocale, useT } from "~/i18n/react";
import { formatDateTime } from "~/utils/dates";
import { done, invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";

export const meta = pageTitle("purchases.coop.title");

/** The village a coop user's ratings cover: an admin sees every village's; a coop user without one sees none. */
const ratingsVillage = (user: SessionUser) => (hasRole(user, "admin") ? null : (user.villageId ?? "__none__"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coop", "admin");
  return cooperativeRatings(ratingsVillage(user));
}

/** Hides one abusive comment (audited); its stars still count. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coop", "admin");
  const submission = await parseForm(request, HideCommentSchema);
  if (submission.status !== "success") return invalid(submission);
  return runCommand(submission, async () => {
    await hideRatingComment({ id: user.id, villageId: ratingsVillage(user) }, submission.value.orderLineId);
    return done(submission, "purchases.coop.hideDone");
  });
}

export default function CoopRatings() {
  const t = useT();
  const locale = useLocale();
  const en = locale === "en";
  const { lots, households, comments } = useLoaderData<typeof loader>();
  const head = "p-2 font-medium";
  const num = "p-2 text-right tabular-nums";
  return (
    <div className="space-y-6">
      <PageHeader title={t("purchases.coop.title")} body={t("purchases.coop.body")} />
      {lots.length === 0 ? <p className="text-stone-600">{t("purchases.coop.none")}</p> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="by-lot" className="space-y-2">
          <h2 id="by-lot" className="text-lg font-semibold">
            {t("purchases.coop.byLot")}
          </h2>
          <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
            <thead className="text-left text-stone-600">
              <tr>
                <th className={head}>{t("purchases.coop.lot")}</th>
                <th className={head}>{t("purchases.coop.household")}</th>
                <th className={`${head} text-right`}>{t("purchases.coop.ratings")}</th>
                <th className={`${head} text-right`}>{t("purchases.coop.average")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {lots.map((lot) => (
                <tr key={lot.lotId}>
                  <td className="p-2">
                    {lot.code} <span className="text-stone-500">{en ? lot.skuEn : lot.sku}</span>
                  </td>
                  <td className="p-2">{lot.household}</td>
                  <td className={num}>{lot.ratings}</td>
                  <td className={num}>{lot.average}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="by-household" className="space-y-2">
          <h2 id="by-household" className="text-lg font-semibold">
            {t("purchases.coop.byHousehold")}
          </h2>
          <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
            <thead className="text-left text-stone-600">
              <tr>
                <th className={head}>{t("purchases.coop.household")}</th>
                <th className={`${head} text-right`}>{t("purchases.coop.ratings")}</th>
                <th className={`${head} text-right`}>{t("purchases.coop.average")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {households.map((household) => (
                <tr key={household.householdId}>
                  <td className="p-2">{household.code}</td>
                  <td className={num}>{household.ratings}</td>
                  <td className={num}>{household.average}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section aria-labelledby="comments" className="space-y-2">
        <h2 id="comments" className="text-lg font-semibold">
          {t("purchases.coop.comments")}
        </h2>
        <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white">
          {comments.map((comment) => (
            <li key={comment.orderLineId} className="flex flex-wrap items-start justify-between gap-2 p-3 text-sm">
              <div>
                <p className="text-stone-600">
                  {"★".repeat(comment.stars)} · {t("purchases.coop.order")} {comment.orderNumber} ·{" "}
                  {en ? comment.sku.nameEn : comment.sku.nameZh} · {formatDateTime(comment.createdAt, languageTag(locale))}
                </p>
                <p className={comment.hiddenAt ? "text-stone-500 line-through" : "text-stone-900"}>{comment.comment}</p>
              </div>
              {comment.hiddenAt ? (
                <span className="text-stone-500">{t("purchases.coop.hidden")}</span>
              ) : (
                <RowAction
                  intent="hide"
                  fields={{ orderLineId: comment.orderLineId }}
                  label={t("purchases.coop.hide")}
                  pendingLabel={t("purchases.coop.hiding")}
                  confirm={t("purchases.coop.hideConfirm")}
                />
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
