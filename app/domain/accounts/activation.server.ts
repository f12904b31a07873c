// An employee imported from a roster activates their account with the code the organizer handed them and their
// phone, choosing a password (the same rules and hashing as registration). The code works once and until it
// expires; wrong tries count against the phone and the address like failed sign-ins.
import { timingSafeEqual } from "node:crypto";
import { isLoginThrottled, recordLoginAttempt } from "~/auth/login-attempts.server";
import { hashPassword } from "~/auth/password.server";
import { db } from "~/db/client.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError } from "~/domain/errors";
import { activationCodeHash } from "./roster.server";

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function activateAccount(input: { phone: string; code: string; password: string }, ip: string) {
  const identifier = `activate:${input.phone}`;
  if (await isLoginThrottled(identifier, ip)) throw new DomainError("errors.tooManyAttempts", { status: 429 });
  const user = await db.user.findUnique({
    where: { phone: input.phone },
    select: { id: true, activation: { select: { codeHash: true, usedAt: true, expiresAt: true } } },
  });
  const activation = user?.activation;
  if (!user || !activation || !sameHash(activation.codeHash, activationCodeHash(input.code))) {
    await recordLoginAttempt(identifier, ip, false);
    throw new DomainError("activation.errors.wrongCode", { field: "code" });
  }
  if (activation.usedAt) throw new DomainError("activation.errors.used", { status: 409, field: "code" });
  if (activation.expiresAt <= new Date()) throw new DomainError("activation.errors.expired", { status: 409, field: "code" });
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    // Claimed by a conditional update, so two submissions of the same code cannot both set a password.
    const claimed = await tx.activationCode.updateMany({
      where: { userId: user.id, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (claimed.count === 0) throw new DomainError("activation.errors.used", { status: 409, field: "code" });
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await recordAudit(tx, { actorId: user.id, action: "account.activate", entityType: "User", entityId: user.id, ip });
  });
  await recordLoginAttempt(identifier, ip, true);
  return { id: user.id };
}
