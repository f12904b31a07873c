// The admin pages' forms (units, cooperatives' fees, the audit log's filter). Plain zod with no server imports: the
// browser validates with the same schemas.
import { z } from "zod";
import { isCalendarDate } from "~/utils/dates";
import { MAX_FEN } from "~/domain/money";
import { percentField, yuanField } from "~/domain/money-fields";
import type { MessageKey } from "~/i18n/i18n";

const msg = (key: MessageKey) => ({ message: key });
const text = (max: number) => z.string(msg("errors.required")).trim().min(1, msg("errors.required")).max(max, msg("errors.tooLong"));
const hiddenId = z.string(msg("errors.staleForm")).min(1, msg("errors.staleForm")).max(100, msg("errors.staleForm"));

export const NewUnitSchema = z.object({
  intent: z.literal("create", msg("errors.badRequestTitle")),
  code: z
    .string(msg("errors.required"))
    .trim()
    .min(1, msg("errors.required"))
    .regex(/^[A-Za-z0-9-]{1,20}$/, msg("adminPages.units.codeFormat")),
  name: text(60),
  nameEn: text(100),
});

/** Grant or revoke the organizer role of one member of the unit. */
export const OrganizerSchema = z.object({ intent: z.enum(["grant", "revoke"], msg("errors.badRequestTitle")), userId: hiddenId });

/** A delivery fee may be zero (a village that delivers free); a default rate between 0 and 50%. */
export const CooperativeFeesSchema = z.object({
  cooperativeId: hiddenId,
  deliveryFee: yuanField("adminPages.villages.deliveryFeeInvalid", { allowZero: true, maxFen: Math.min(MAX_FEN, 100_000) }),
  defaultFeeRate: percentField("adminPages.villages.feeRateInvalid", { minBp: 0, maxBp: 5_000 }),
});

const day = z
  .string()
  .trim()
  .refine((value) => value === "" || isCalendarDate(value))
  .optional()
  .catch(undefined)
  .transform((value) => value || undefined);
const filterText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .catch(undefined)
    .transform((value) => value || undefined);

/** The audit log's filter, from the URL: anything malformed is dropped rather than refused (it is a GET). */
export const AuditQuery = z.object({
  actor: filterText(100),
  entityType: filterText(60),
  entityId: filterText(100),
  action: filterText(100),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type AuditFilter = z.infer<typeof AuditQuery>;
