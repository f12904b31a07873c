// Amounts typed into forms, parsed by string into integers (fen, basis points), never through a float (DOMAIN §4).
// Plain zod with no server imports, so the browser validates with the same rules as the server.
import { z } from "zod";

/** A yuan amount typed in a form ("12.5") → integer fen, by string, never through a float (DOMAIN §4). */
export const YuanAmount = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, "cooperative.errors.amount")
  .transform((value) => {
    const [yuan, cents = ""] = value.split(".");
    return Number(yuan) * 100 + Number(cents.padEnd(2, "0"));
  })
  .refine((fen) => fen > 0, "cooperative.errors.amount");

/** A percentage with up to two decimals ("8", "7.5") → basis points. */
export const PercentAsBasisPoints = z
  .string({ error: "cooperative.errors.feeRate" })
  .trim()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, "cooperative.errors.feeRate")
  .transform((value) => {
    const [whole, part = ""] = value.split(".");
    return Number(whole) * 100 + Number(part.padEnd(2, "0"));
  })
  .refine((bp) => bp <= 10_000, "cooperative.errors.feeRate");
