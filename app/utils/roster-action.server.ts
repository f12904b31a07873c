// The roster page's action, shared by the organizer's page (their own unit) and the admin's (any unit). The file
// arrives as multipart form data held in memory up to the roster's size limit; a larger part stops the parsing at
// once (413). A member's new activation code is a plain form.
import { parseWithZod } from "@conform-to/zod/v4";
import { MaxPartSizeExceededError, data, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { DomainError } from "~/domain/errors";
import { MAX_ROSTER_BYTES } from "~/domain/accounts/roster-file.server";
import { ReissueSchema, RosterUploadSchema } from "~/domain/accounts/roster-schemas";
import { importRoster, previewRoster, reissueActivationCode, type RosterViewer } from "~/domain/accounts/roster.server";
import { messageRef } from "~/i18n/i18n";
import type { FormAnswer } from "./forms";
import { invalid, readFormData, refusalReply, runCommand, unreadableForm } from "./forms.server";
import type { RosterAnswer } from "./roster-answer";

const tooBig = () =>
  new DomainError("roster.errors.tooBig", { status: 413, field: "file", params: { max: MAX_ROSTER_BYTES / (1024 * 1024) } });

export async function rosterAction(request: Request, viewer: RosterViewer, unitId: string) {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return reissue(request, viewer, unitId);
  const unread = () => parseWithZod(new FormData(), { schema: RosterUploadSchema });
  // Room for the intent and the multipart framing; a body declared larger is refused unread.
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_ROSTER_BYTES + 16 * 1024) return refusalReply(unread(), tooBig());
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_ROSTER_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refusalReply(unread(), tooBig());
    if (error instanceof TypeError)
      return refusalReply(unread(), new DomainError("roster.errors.fileMissing", { status: 400, field: "file" }));
    // The multipart parser throws plain Errors for framing it cannot read (a body cut short, a part header it does not understand).
    throw unreadableForm();
  }
  const submission = parseWithZod(formData, { schema: RosterUploadSchema });
  if (submission.status !== "success") return invalid(submission, { status: 422 });
  const { intent, file } = submission.value;
  // The file stays chosen in the form, so the organizer can import what they just previewed.
  const keep = { resetForm: false };
  return runCommand(
    submission,
    async () => {
      if (intent === "preview") {
        const preview = await previewRoster(viewer, unitId, file);
        return data<RosterAnswer>({ result: submission.reply(keep) as FormAnswer["result"], preview });
      }
      const outcome = await importRoster(viewer, unitId, file, file instanceof File ? file.name : "");
      const { issued, ...preview } = outcome;
      return data<RosterAnswer>({
        result: submission.reply(keep) as FormAnswer["result"],
        done: issued.length ? messageRef("roster.imported", { count: issued.length }) : messageRef("roster.nothingNew"),
        preview,
        issued: issued.map(({ userId: _userId, expiresAt, ...code }) => ({ ...code, expiresAt: expiresAt.toISOString() })),
      });
    },
    keep,
  );
}

async function reissue(request: Request, viewer: RosterViewer, unitId: string) {
  const formData = await readFormData(request);
  // The upload's form sent without its file (a plain form body cannot carry one): say the file is missing.
  if (RosterUploadSchema.shape.intent.safeParse(formData.get("intent")).success)
    return invalid(parseWithZod(formData, { schema: RosterUploadSchema }), { status: 422 });
  const submission = parseWithZod(formData, { schema: ReissueSchema });
  if (submission.status !== "success") return invalid(submission);
  return runCommand(submission, async () => {
    const code = await reissueActivationCode(viewer, unitId, submission.value.userId);
    return data<RosterAnswer>({
      result: submission.reply() as FormAnswer["result"],
      issued: [
        { name: code.name, phone: code.phone, department: code.department, code: code.code, expiresAt: code.expiresAt.toISOString() },
      ],
    });
  });
}
