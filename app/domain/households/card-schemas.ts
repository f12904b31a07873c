// The work team's card forms, shared by the browser and the server. Messages are i18n keys.
import { z } from "zod";

import { MAX_CARDS_PER_ISSUE } from "./kinds";

export { CARDS_PER_SHEET, MAX_CARDS_PER_ISSUE } from "./kinds";

const householdIds = z
  .array(z.string({ error: "errors.staleForm" }).trim().min(1, "errors.staleForm").max(40, "errors.staleForm"), {
    error: "cards.errors.noneSelected",
  })
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
    z.object({
      intent: z.literal("missing"),
      group: z.string({ error: "errors.staleForm" }).trim().max(20, "errors.staleForm").optional(),
    }),
    z.object({ intent: z.literal("selected"), householdIds, confirm: z.literal("yes", { error: "errors.confirmRequired" }).optional() }),
  ],
  { error: "errors.badRequestTitle" },
);

export type CardIssueInput = z.infer<typeof CardIssueSchema>;

/** A card as issued for printing: the server makes it, the sheet component lays it out. */
export type PrintedCard = {
  householdId: string;
  code: string;
  name: string;
  villageGroup: string;
  village: { name: string; nameEn: string };
  url: string;
  qrSvg: string;
};
