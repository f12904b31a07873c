import type { Prisma } from "~/db/client.server";
import { db } from "~/db/client.server";

type Client = Prisma.TransactionClient | typeof db;

export type AuditRecord = {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  changes?: Prisma.InputJsonValue;
  ip?: string;
};

/** Appends to the audit log; pass the transaction client so the record commits or rolls back with the change. */
export async function recordAudit(client: Client, record: AuditRecord) {
  await client.auditLog.create({ data: record });
}
