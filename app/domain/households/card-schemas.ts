// The work team's card forms, shared by the browser and the server. Messages are i18n keys.
import { z } from "zod";

import { MAX_CARDS_PER_ISSUE } from "./kinds";

export { CARDS_PER_SHEET, MAX_CARDS_PER_ISSUE } from "./kinds";

const householdIds = z
  .array(z.string().trim().min(1).max(40), { error: "cards.errors.noneSelected" })
  .min(1, "cards.errors.noneSelected")
  .max(MAX_CARDS_PER_ISSUE, "cards.errors.tooMany");

/**
 * `missing`: a card for every household (of one village group, if named) that has none yet — printing the village
 * never stops a card already handed out. `selected`: the ticked households; replacing a card that exists needs
 * `confirm=yes`, since the old card stops working at once.
 */
export const CardIssueSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("missing"), group: z.string().trim().max(20).optional() }),
    z.object({ intent: z.literal("selected"), householdIds, confirm: z.literal("yes").optional() }),
  ],
  { error: "errors.badRequestTitle" },
);

export type CardIssueInput = z.infer<typeof CardIssueSchema>;
