import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { ConfirmedActionForm, HouseholdPartHeader, MemberForm } from "~/components/household-form";
import { config } from "~/config.server";
import { memberInput, MemberSchema } from "~/domain/households/schema";
import { addMember, openHouseholdFile, removeMember, updateMember } from "~/domain/households/files.server";
import { useT } from "~/i18n/react";
import { notFound } from "~/utils/responses.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const household = await openHouseholdFile(viewer, params.householdId ?? "", (context as { clientIp?: string }).clientIp);
  if (!household) notFound();
  const { id, code, memberCount, members } = household;
  return { household: { id, code, memberCount }, members };
}

const RemoveForm = z.object({ memberId: z.string().min(1), confirm: z.literal("yes", { error: "households.errors.confirm" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "team", "admin");
  const householdId = params.householdId ?? "";
  const formData = await request.formData();
  const intent = formData.get("intent");
  const target = String(formData.get("memberId") ?? "new");
  const back = redirect(`/team/households/${householdId}/members`);
  if (intent === "remove") {
    const parsed = RemoveForm.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return data({ target, result: null, removeErrors: ["households.errors.confirm"] }, { status: 422 });
    if (!(await removeMember(viewer, householdId, parsed.data.memberId))) notFound();
    return back;
  }
  if (intent !== "add" && intent !== "update") return data({ target, result: null, removeErrors: null }, { status: 400 });
  const submission = parseWithZod(formData, { schema: MemberSchema });
  if (submission.status !== "success")
    return data({ target, result: submission.reply({ hideFields: ["idNumber"] }), removeErrors: null }, { status: 422 });
  const input = memberInput(submission.value);
  const saved =
    intent === "add"
      ? await addMember(viewer, householdId, input, config().idHashKey)
      : await updateMember(viewer, householdId, target, input, config().idHashKey);
  if (!saved) notFound();
  return back;
}

export default function HouseholdMembers() {
  const t = useT();
  const { household, members } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const resultFor = (target: string) => (answer?.target === target && answer.result ? answer.result : undefined);
  return (
    <div className="space-y-6">
      <HouseholdPartHeader
        householdId={household.id}
        title={t("households.membersPage", { code: household.code })}
        body={t("households.membersHint")}
      />
      {members.length === 0 ? <p className="text-sm text-stone-600">{t("households.noMembers")}</p> : null}
      <ul className="space-y-3">
        {members.map((m) => (
          <li key={m.id} className="rounded-lg border border-stone-200 bg-white p-4">
            <details open={answer?.target === m.id}>
              <summary className="cursor-pointer">
                <span className="font-medium">{m.name}</span> · {m.relation} · {t(`households.ageBands.${m.ageBand as "0-5"}`)}
                {m.idMasked ? <span className="ml-2 font-mono text-sm text-stone-600">{m.idMasked}</span> : null}
                <span className="ml-3 text-sm text-brand-700 underline">{t("households.editMember")}</span>
              </summary>
              <div className="mt-3 space-y-4">
                <MemberForm
                  memberId={m.id}
                  lastResult={resultFor(m.id)}
                  defaultValue={{
                    name: m.name,
                    relation: m.relation,
                    ageBand: m.ageBand as "0-5",
                    health: m.health ?? undefined,
                    disability: m.disability ?? undefined,
                    schooling: m.schooling ?? undefined,
                    employment: m.employment ?? undefined,
                  }}
                />
                <div className="border-t border-stone-100 pt-3">
                  <ConfirmedActionForm
                    fields={{ intent: "remove", memberId: m.id }}
                    confirmLabel={t("households.confirmRemove")}
                    buttonLabel={t("households.removeMember")}
                    errors={answer?.target === m.id ? answer.removeErrors : null}
                  />
                </div>
              </div>
            </details>
          </li>
        ))}
      </ul>
      <section aria-labelledby="add-member" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="add-member" className="mb-3 text-lg font-semibold">
          {t("households.addMember")}
        </h2>
        <MemberForm key={members.length} lastResult={resultFor("new")} />
      </section>
    </div>
  );
}
