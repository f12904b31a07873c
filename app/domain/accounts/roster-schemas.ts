// The roster and activation forms. Plain zod with no server imports: the browser validates with the same schemas.
import { z } from "zod";
import { NEW_PASSWORD, isPhone, normalizeLogin } from "~/auth/schemas";
import type { MessageKey } from "~/i18n/i18n";

const msg = (key: MessageKey) => ({ message: key });

/** The roster file and what to do with it: look at what it would do, or do it. */
export const RosterUploadSchema = z.object({
  intent: z.enum(["preview", "import"], msg("errors.required")),
  file: z.instanceof(Blob, msg("roster.errors.fileMissing")).refine((file) => file.size > 0, msg("roster.errors.empty")),
});

/** A fresh code for one member who has not activated yet. */
export const ReissueSchema = z.object({
  intent: z.literal("reissue", msg("errors.badRequestTitle")),
  userId: z.string(msg("errors.required")).min(1, msg("errors.required")).max(100, msg("errors.required")),
});

export const ActivationSchema = z.object({
  phone: z
    .string(msg("errors.required"))
    .trim()
    .min(1, msg("errors.required"))
    .max(20, msg("activation.errors.badPhone"))
    .transform(normalizeLogin)
    .refine(isPhone, msg("activation.errors.badPhone")),
  code: z.string(msg("errors.required")).trim().min(1, msg("errors.required")).max(20, msg("activation.errors.wrongCode")),
  password: NEW_PASSWORD,
});
