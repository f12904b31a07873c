// Form fields that read money typed by people, on the parsing rules of money.ts. Apart from money.ts because they
// need zod, which a page that only shows amounts should not download.
import { z } from "zod";
import type { MessageKey } from "~/i18n/i18n";
import { MAX_FEN, parseYuanText } from "./money";

/** A form field holding a yuan amount → integer fen (positive unless `allowZero`), with `message` for anything else. */
export function yuanField(message: MessageKey, { allowZero = false, maxFen = MAX_FEN } = {}) {
  return z.string({ error: message }).transform((text, ctx) => {
    const fen = parseYuanText(text);
    if (fen === null || fen > maxFen || (fen === 0 && !allowZero)) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return fen;
  });
}

/** A form field holding a percentage with up to two decimals ("8", "7.5") → basis points within [minBp, maxBp]. */
export function percentField(message: MessageKey, { minBp = 0, maxBp = 10_000 } = {}) {
  return z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, message)
    .transform((value) => {
      const [whole, part = ""] = value.split(".");
      return Number(whole) * 100 + Number(part.padEnd(2, "0"));
    })
    .refine((bp) => bp >= minBp && bp <= maxBp, message);
}
