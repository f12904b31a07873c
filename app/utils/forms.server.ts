// The one action contract (docs/decisions/0008-action-contract.md). Every action reads its body with readFormData
// (415 for a body that is not a form, 400 for one that cannot be parsed, 413 for one declared too large), parses it
// with conform + zod against the schema its form validates with in the browser, and answers with one shape:
// `{ result }`, conform's submission reply, whose field and form errors are message refs translated where shown.
// A DomainError from the command becomes that reply with the error's status; anything else is a real fault.
import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import type { z } from "zod";
import { isDomainError, type DomainError, type Refusal } from "~/domain/errors";
import { messageRef, type MessageKey, type MessageParams } from "~/i18n/i18n";
import type { FormAnswer } from "./forms";
import { plainTextResponse } from "./responses.server";

/** Forms carry text fields only (photos have their own, larger limit); a body declared larger is refused unread. */
export const MAX_FORM_BYTES = 256 * 1024;

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/** The 400 for a body that says it is a form but cannot be parsed as one (also for the photo upload's own parser). */
export function unreadableForm() {
  return plainTextResponse(400, "The form could not be read");
}

/** The request's form body, or a thrown 413/415/400 response that says what was wrong with it. */
export async function readFormData(request: Request, { maxBytes = MAX_FORM_BYTES } = {}): Promise<FormData> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) throw plainTextResponse(415, "Send the form as application/x-www-form-urlencoded or multipart/form-data");
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes) throw plainTextResponse(413, "The form is too large");
  try {
    return await request.formData();
  } catch {
    throw unreadableForm();
  }
}

/** Reads the body and parses it with `schema`, exactly as the browser did before sending it. */
export async function parseForm<Schema extends z.ZodType>(request: Request, schema: Schema) {
  return parseWithZod(await readFormData(request), { schema });
}

type Reply = FormAnswer["result"];
type ReplyOptions = { hideFields?: string[]; resetForm?: boolean };

/** Answer to input the schema refused: the field messages, with 400 (malformed) or 422 (well-formed, not valid). */
export function invalid(submission: Submission<unknown>, { status = 400, hideFields }: { status?: 400 | 422; hideFields?: string[] } = {}) {
  return data({ result: submission.reply({ hideFields }) as Reply }, { status });
}

/** The reply for a refusal: each message on its field (or on the form), with the error's status. */
export function refusalReply(submission: Submission<unknown>, error: DomainError, options: ReplyOptions = {}) {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const refusal of error.refusals) {
    const ref = refusalRef(refusal);
    if (refusal.field) (fieldErrors[refusal.field] ??= []).push(ref);
    else formErrors.push(ref);
  }
  return data({ result: submission.reply({ ...options, fieldErrors, formErrors }) as Reply }, { status: error.status });
}

function refusalRef(refusal: Refusal) {
  return messageRef(refusal.code, refusal.params);
}

/** A form that did what it was asked: the message to show (and the form reset, unless told otherwise). */
export function done(submission: Submission<unknown>, message: MessageKey, params?: MessageParams, { resetForm = true } = {}) {
  return data({ result: submission.reply({ resetForm }) as Reply, done: messageRef(message, params) });
}

/**
 * Runs a domain command for a parsed submission: its answer when it succeeds, the refusal as the form's reply when
 * it throws a DomainError. Other errors are faults and propagate (500, logged).
 */
export async function runCommand<T>(submission: Submission<unknown>, command: () => Promise<T>, options: ReplyOptions = {}) {
  try {
    return await command();
  } catch (error) {
    if (isDomainError(error)) return refusalReply(submission, error, options);
    throw error;
  }
}
