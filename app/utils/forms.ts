import type { SubmissionResult } from "@conform-to/react";

/**
 * What every action answers (forms.server.ts): conform's reply to the submission, whose errors are message refs,
 * and, when the command went through and the page stays, the message saying what it did.
 */
export type FormAnswer = { result: SubmissionResult<string[]>; done?: string };
