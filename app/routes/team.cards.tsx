import { getFormProps, useForm } from "@conform-to/react";
import { ScrollRegion } from "~/components/data-table";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { config } from "~/config.server";
import { ErrorList, FormAlert, SubmitButton } from "~/components/forms";
import { CardSheet, type CardFaceWords } from "~/components/household-cards";
import { PageHeader } from "~/components/page";
import { CardIssueSchema, type PrintedCard } from "~/domain/households/card-schemas";
import { issueHouseholdCards, listHouseholdCards } from "~/domain/households/cards.server";
import { languageTag, messageRef } from "~/i18n/i18n";
import { catalogs } from "~/i18n/i18n.server";
import { useLocale, useT, useTranslateRef } from "~/i18n/react";
import { formatDate, formatDateTime } from "~/utils/dates";
import type { FormAnswer } from "~/utils/forms";
import { invalid, parseForm, runCommand } from "~/utils/forms.server";
import { pageTitle } from "~/utils/meta";
import { useSchemaValidation } from "~/utils/lazy-validation";

export const meta = pageTitle("cards.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 50);
  const group = (url.searchParams.get("group") ?? "").slice(0, 20);
  return { ...(await listHouseholdCards(viewer, { q, group })), q, group };
}

type IssueAnswer = FormAnswer & { sheet?: { cards: PrintedCard[]; words: CardFaceWords } };

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const submission = await parseForm(request, CardIssueSchema);
  if (submission.status !== "success") return invalid(submission);
  return runCommand(submission, async () => {
    const cards = await issueHouseholdCards(viewer, submission.value, config().appUrl);
    return data<IssueAnswer>({
      result: submission.reply({ resetForm: true }) as FormAnswer["result"],
      done: messageRef("cards.done", { count: cards.length }),
      sheet: { cards, words: catalogs.zh.cards.face },
    });
  });
}

/** Every issuing form shares one fetcher, so the sheet of the last issue is what the page shows and prints. */
const ISSUE_FETCHER = "household-cards";

export default function HouseholdCards() {
  const t = useT();
  const tag = languageTag(useLocale());
  const { households, groups, q, group } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<IssueAnswer>({ key: ISSUE_FETCHER });
  // Without JavaScript the forms post as pages, and the sheet comes back as the page's action data.
  const pageAnswer = useActionData<IssueAnswer>();
  const answer = fetcher.state === "idle" ? (fetcher.data ?? pageAnswer) : undefined;
  const translate = useTranslateRef();
  const [form, fields] = useForm({
    id: "issue-selected",
    lastResult: answer?.result,
    shouldValidate: "onSubmit",
    onValidate: useSchemaValidation(() => import("~/domain/households/card-schemas").then((m) => m.CardIssueSchema)),
  });
  return (
    <div className="space-y-6">
      <div className="space-y-6 print:hidden">
        <PageHeader title={t("cards.title")} body={t("cards.intro")} />
        <Form method="get" className="flex flex-wrap items-end gap-2">
          <input
            type="search"
            name="q"
            defaultValue={q}
            placeholder={t("cards.search")}
            aria-label={t("cards.search")}
            className="rounded border border-stone-300 px-2 py-1.5"
          />
          <select name="group" defaultValue={group} aria-label={t("cards.group")} className="rounded border border-stone-300 px-2 py-1.5">
            <option value="">{t("cards.allGroups")}</option>
            {groups.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <button type="submit" className="rounded border border-stone-300 px-3 py-1.5 text-sm">
            {t("cards.filter")}
          </button>
        </Form>

        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="missing" />
          {group ? <input type="hidden" name="group" value={group} /> : null}
          <SubmitButton
            label={group ? t("cards.issueMissingInGroup", { group }) : t("cards.issueMissing")}
            pendingLabel={t("cards.issuing")}
            pending={fetcher.state !== "idle"}
            variant="secondary"
          />
        </fetcher.Form>

        <fetcher.Form method="post" {...getFormProps(form)} className="space-y-3">
          <input type="hidden" name="intent" value="selected" />
          <FormAlert errors={form.errors} />
          <ErrorList errors={fields.householdIds.errors} />
          <p className="text-sm text-stone-600">{t("cards.count", { count: households.length })}</p>
          {households.length === 0 ? (
            <p className="text-stone-600">{t("cards.empty")}</p>
          ) : (
            <ScrollRegion label={t("cards.title")}>
              <table className="w-full rounded-lg border border-stone-200 bg-white text-sm">
                <thead className="bg-stone-50 text-left">
                  <tr>
                    <th className="p-2">
                      <span className="sr-only">{t("cards.selectColumn")}</span>
                    </th>
                    <th className="p-2">{t("cards.code")}</th>
                    <th className="p-2">{t("cards.name")}</th>
                    <th className="p-2">{t("cards.group")}</th>
                    <th className="p-2">{t("cards.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {households.map((household) => (
                    <tr key={household.id} className="border-t border-stone-100">
                      <td className="p-2">
                        <input
                          type="checkbox"
                          name="householdIds"
                          value={household.id}
                          aria-label={t("cards.select", { code: household.code })}
                        />
                      </td>
                      <td className="p-2 font-mono">{household.code}</td>
                      <td className="p-2">{household.name}</td>
                      <td className="p-2">{household.villageGroup}</td>
                      <td className="p-2" data-testid={`card-status-${household.code}`}>
                        {household.card ? (
                          <>
                            {t("cards.issued", { date: formatDate(household.card.issuedAt, tag) })}
                            {" · "}
                            {household.card.lastOpenedAt
                              ? t("cards.openings", {
                                  count: household.card.openings,
                                  date: formatDateTime(household.card.lastOpenedAt, tag),
                                })
                              : t("cards.neverOpened")}
                          </>
                        ) : (
                          <span className="text-stone-500">{t("cards.noCard")}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="confirm" value="yes" className="mt-1" />
            <span>{t("cards.confirmReplace")}</span>
          </label>
          <ErrorList errors={fields.confirm.errors} />
          <SubmitButton label={t("cards.issueSelected")} pendingLabel={t("cards.issuing")} pending={fetcher.state !== "idle"} />
        </fetcher.Form>
      </div>

      {answer?.done ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800 print:hidden">
          {translate(answer.done)}
        </p>
      ) : null}
      {answer?.sheet ? (
        <section className="space-y-3" aria-labelledby="sheet-title">
          <div className="flex flex-wrap items-center gap-3 print:hidden">
            <h2 id="sheet-title" className="text-lg font-semibold">
              {t("cards.sheetTitle", { count: answer.sheet.cards.length })}
            </h2>
            <button
              type="button"
              onClick={() => window.print()}
              className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white"
            >
              {t("cards.print")}
            </button>
          </div>
          <CardSheet cards={answer.sheet.cards} words={answer.sheet.words} />
        </section>
      ) : null}
    </div>
  );
}
