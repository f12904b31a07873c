import type { RosterPreview } from "~/domain/accounts/roster.server";
import type { FormAnswer } from "./forms";

/** The roster action's answer: the contract's reply, plus what the file would do and, once imported, the codes. */
export type RosterAnswer = FormAnswer & {
  preview?: RosterPreview;
  issued?: { name: string; phone: string; department: string | null; code: string; expiresAt: string }[];
};
