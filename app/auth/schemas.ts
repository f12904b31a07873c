// Shared by the server (parseWithZod in actions) and the browser (conform's live validation). Messages are
// i18n keys, translated where they are shown.
import { z } from "zod";
import { ROLES } from "./roles";
import type { MessageKey } from "~/i18n/i18n";
import { COMMON_PASSWORDS } from "./common-passwords";

const msg = (key: MessageKey) => ({ message: key });

const PHONE = /^1[3-9]\d{9}$/;

/** A phone number (digits only) or a lower-cased email: the one form a login identifier is stored in. */
export function normalizeLogin(raw: string) {
  const trimmed = raw.trim();
  const phone = trimmed.replace(/[\s-]/g, "").replace(/^\+?86(?=1\d{10}$)/, "");
  return PHONE.test(phone) ? phone : trimmed.toLowerCase();
}

const login = z
  .string(msg("errors.required"))
  .trim()
  .min(1, msg("errors.required"))
  .max(254, msg("errors.tooLong"))
  .transform(normalizeLogin)
  .refine((value) => PHONE.test(value) || z.email().safeParse(value).success, msg("errors.invalidLogin"));

/** At least 10 characters, or a passphrase: three or more words (of two letters or more) in 8 or more characters. */
export function isLongEnough(password: string) {
  const words = password.split(/[\s\-_.]+/).filter((word) => word.length >= 2);
  return password.length >= 10 || (words.length >= 3 && password.length >= 8);
}

const password = z
  .string(msg("errors.required"))
  .min(1, msg("errors.required"))
  .max(128, msg("errors.passwordTooLong"))
  .refine(isLongEnough, msg("errors.passwordTooShort"))
  .refine((value) => !COMMON_PASSWORDS.has(value.toLowerCase()), msg("errors.passwordCommon"));

/** Where to go after signing in; safeRedirect keeps it on this site. */
const redirectTo = z.string(msg("errors.badRequestTitle")).max(2000, msg("errors.tooLong")).optional();

export const SignInSchema = z.object({
  login,
  password: z.string(msg("errors.required")).min(1, msg("errors.required")).max(128, msg("errors.passwordTooLong")),
  redirectTo,
});

export const RegisterSchema = z
  .object({
    name: z.string(msg("errors.required")).trim().min(1, msg("errors.required")).max(40, msg("errors.nameTooLong")),
    login,
    password,
    unitId: z.string(msg("errors.unitRequired")).min(1, msg("errors.unitRequired")).max(100, msg("errors.unknownUnit")),
    redirectTo,
  })
  // The phone number is the first thing someone who knows the account would try.
  .refine((value) => !(PHONE.test(value.login) && value.password.replace(/\D/g, "").includes(value.login)), {
    ...msg("errors.passwordIsPhone"),
    path: ["password"],
  });

export { ROLES };

export const UserAccessSchema = z.object({
  roles: z
    .array(z.enum(ROLES, msg("admin.unknownRole")), msg("admin.rolesRequired"))
    .min(1, msg("admin.rolesRequired"))
    .max(ROLES.length, msg("admin.unknownRole")),
  unitId: z.string(msg("errors.unknownUnit")).max(100, msg("errors.unknownUnit")).optional(),
  villageId: z.string(msg("admin.unknownVillage")).max(100, msg("admin.unknownVillage")).optional(),
});

export function isPhone(login: string) {
  return PHONE.test(login);
}

/** The rules for a password being chosen, wherever one is (registration, activating an imported account). */
export const NEW_PASSWORD = password;
