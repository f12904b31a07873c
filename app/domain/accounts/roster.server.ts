// A unit's roster (花名册): the organizer (for their own unit) or an admin brings employees on board from a file.
// The preview checks every row and writes nothing; the import checks again and creates, in one transaction, an
// account for each accepted row with a one-time activation code (shown once, stored as a hash). A row whose phone is
// already in the unit is left as it is, so importing the same file again changes nothing.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { normalizeLogin, isPhone } from "~/auth/schemas";
import { db } from "~/db/client.server";
import { isUniqueViolation } from "~/db/errors.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, forbidden, notFound } from "~/domain/errors";
import { readRosterLines, type RosterCell, type RosterLine } from "./roster-file.server";

export type RosterViewer = { id: string; roles: string[]; unitId: string | null };

export const ROW_PROBLEMS = [
  "formula",
  "nameMissing",
  "nameTooLong",
  "badPhone",
  "departmentTooLong",
  "duplicateInFile",
  "otherUnit",
  "hasAccount",
] as const;
export type RowProblem = (typeof ROW_PROBLEMS)[number];

export type RosterRow = {
  line: number;
  name: string;
  phone: string;
  department: string | null;
  status: "new" | "existing" | "rejected";
  problems: RowProblem[];
};

/** Days an activation code stays good; the organizer can issue a new one after that. */
export const ACTIVATION_DAYS = 14;
const DAY = 24 * 60 * 60 * 1000;

/** A placeholder no password can match (argon2 cannot parse it), until the employee activates the account. */
export const UNACTIVATED_PASSWORD = "!unactivated";

/** The unit `viewer` may manage the roster of: any unit for an admin, their own for an organizer. */
export async function rosterUnit(viewer: RosterViewer, unitId: string) {
  const isAdmin = viewer.roles.includes("admin");
  if (!isAdmin && !(viewer.roles.includes("organizer") && viewer.unitId === unitId)) throw forbidden();
  const unit = await db.unit.findUnique({ where: { id: unitId }, select: { id: true, code: true, name: true, nameEn: true } });
  if (!unit) throw notFound();
  return unit;
}

const HEADERS = {
  name: /^(姓名|名字|name|full ?name)$/i,
  phone: /^(手机|手机号|手机号码|电话|联系电话|phone|mobile|tel)$/i,
  department: /^(部门|科室|处室|department|dept)$/i,
};

/** Columns by the header row when the first row is one, else name, phone, department in that order. */
function columnsOf(lines: RosterLine[]) {
  const first = lines[0]!.cells.map((cell) => cell.text);
  const find = (pattern: RegExp) => first.findIndex((text) => pattern.test(text));
  const named = { name: find(HEADERS.name), phone: find(HEADERS.phone), department: find(HEADERS.department) };
  if (named.name < 0 && named.phone < 0 && named.department < 0) return { columns: { name: 0, phone: 1, department: 2 }, body: lines };
  if (named.name < 0 || named.phone < 0) throw new DomainError("roster.errors.columnsMissing", { field: "file" });
  return { columns: named, body: lines.slice(1) };
}

function checkRows(lines: RosterLine[]): RosterRow[] {
  const { columns, body } = columnsOf(lines);
  if (body.length === 0) throw new DomainError("roster.errors.empty", { field: "file" });
  const seen = new Set<string>();
  const cell = (cells: RosterCell[], index: number) => (index >= 0 ? (cells[index] ?? { text: "", formula: false }) : null);
  return body.map(({ line, cells }) => {
    const problems: RowProblem[] = [];
    const name = cell(cells, columns.name)!;
    const phoneCell = cell(cells, columns.phone)!;
    const departmentCell = cell(cells, columns.department);
    if ([name, phoneCell, departmentCell].some((c) => c?.formula)) problems.push("formula");
    if (!name.text) problems.push("nameMissing");
    else if (name.text.length > 40) problems.push("nameTooLong");
    const phone = normalizeLogin(phoneCell.text);
    if (!isPhone(phone)) problems.push("badPhone");
    else if (seen.has(phone)) problems.push("duplicateInFile");
    else seen.add(phone);
    const department = departmentCell?.text || null;
    if (department && department.length > 60) problems.push("departmentTooLong");
    return { line, name: name.text, phone, department, status: problems.length ? "rejected" : "new", problems };
  });
}

/** Marks rows whose phone already has an account: in this unit nothing is to do, elsewhere the row is refused. */
async function matchAccounts(rows: RosterRow[], unitId: string) {
  const phones = rows.filter((row) => row.status === "new").map((row) => row.phone);
  const accounts = await db.user.findMany({ where: { phone: { in: phones } }, select: { phone: true, unitId: true } });
  const unitOf = new Map(accounts.map((account) => [account.phone!, account.unitId]));
  for (const row of rows) {
    if (row.status !== "new" || !unitOf.has(row.phone)) continue;
    const unit = unitOf.get(row.phone);
    if (unit === unitId) row.status = "existing";
    else {
      row.status = "rejected";
      row.problems.push(unit ? "otherUnit" : "hasAccount");
    }
  }
  return rows;
}

export type RosterPreview = {
  counts: { new: number; existing: number; rejected: number };
  rows: RosterRow[];
};

const PREVIEW_ROWS = 1_000;

function summarize(rows: RosterRow[]): RosterPreview {
  const count = (status: RosterRow["status"]) => rows.filter((row) => row.status === status).length;
  // Refused rows first: they are what the organizer has to fix; the page shows at most PREVIEW_ROWS of them all.
  const ordered = [...rows.filter((row) => row.status === "rejected"), ...rows.filter((row) => row.status !== "rejected")];
  return { counts: { new: count("new"), existing: count("existing"), rejected: count("rejected") }, rows: ordered.slice(0, PREVIEW_ROWS) };
}

async function checkFile(viewer: RosterViewer, unitId: string, file: Blob) {
  const unit = await rosterUnit(viewer, unitId);
  const rows = await matchAccounts(checkRows(await readRosterLines(file)), unit.id);
  return { unit, rows };
}

/** What importing `file` into the unit would do, row by row. Writes nothing. */
export async function previewRoster(viewer: RosterViewer, unitId: string, file: Blob): Promise<RosterPreview> {
  const { rows } = await checkFile(viewer, unitId, file);
  return summarize(rows);
}

// Letters and digits that cannot be mistaken for one another on a printed slip (no 0/O, 1/I/L).
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 10;

/** A fresh code, shown as two groups of five (ABCDE-23456). About 49 bits: the activation page is rate limited. */
export function newActivationCode(): string {
  const bytes = randomBytes(CODE_LENGTH * 2);
  let code = "";
  // Rejection sampling keeps every letter equally likely.
  for (const byte of bytes) {
    if (byte >= CODE_ALPHABET.length * Math.floor(256 / CODE_ALPHABET.length)) continue;
    code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    if (code.length === CODE_LENGTH) break;
  }
  return code.length === CODE_LENGTH ? `${code.slice(0, 5)}-${code.slice(5)}` : newActivationCode();
}

/** The form a typed code is compared in: upper case, without spaces or dashes. */
export function activationCodeHash(code: string) {
  return createHash("sha256").update(code.toUpperCase().replace(/[\s-]/g, "")).digest("hex");
}

export type IssuedCode = { userId: string; name: string; phone: string; department: string | null; code: string; expiresAt: Date };

/**
 * Creates the accounts of the file's accepted rows, each with its activation code, and answers with the codes (the
 * only time they exist outside the employees' hands). Rows already in the unit and refused rows are left alone, so
 * a file imported twice creates nothing the second time. A concurrent import of the same people loses on the
 * phone's unique index and writes nothing (409).
 */
export async function importRoster(viewer: RosterViewer, unitId: string, file: Blob, fileName: string) {
  const { unit, rows } = await checkFile(viewer, unitId, file);
  const accepted = rows.filter((row) => row.status === "new");
  const preview = summarize(rows);
  if (accepted.length === 0) return { ...preview, issued: [] as IssuedCode[] };
  const expiresAt = new Date(Date.now() + ACTIVATION_DAYS * DAY);
  const issued: IssuedCode[] = accepted.map((row) => ({
    userId: randomUUID(),
    name: row.name,
    phone: row.phone,
    department: row.department,
    code: newActivationCode(),
    expiresAt,
  }));
  try {
    // One statement per table over arrays (unnest), rather than thousands of bound values: a whole bureau's roster
    // is written in well under a second, and the transaction is given room for a loaded server.
    const column = <K extends keyof IssuedCode>(key: K) => issued.map((row) => row[key]);
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`
          INSERT INTO "User" ("id", "phone", "name", "department", "unitId", "passwordHash", "createdAt", "updatedAt")
          SELECT t."id", t."phone", t."name", t."department", ${unit.id}, ${UNACTIVATED_PASSWORD}, now(), now()
          FROM unnest(${column("userId")}::text[], ${column("phone")}::text[], ${column("name")}::text[], ${column("department")}::text[])
            AS t("id", "phone", "name", "department")`;
        await tx.$executeRaw`
          INSERT INTO "UserRole" ("userId", "role") SELECT t."id", 'employee'::"Role" FROM unnest(${column("userId")}::text[]) AS t("id")`;
        await tx.$executeRaw`
          INSERT INTO "ActivationCode" ("userId", "codeHash", "expiresAt", "issuedById")
          SELECT t."id", t."hash", ${expiresAt}, ${viewer.id}
          FROM unnest(${column("userId")}::text[], ${issued.map((row) => activationCodeHash(row.code))}::text[]) AS t("id", "hash")`;
        await recordAudit(tx, {
          actorId: viewer.id,
          action: "roster.import",
          entityType: "Unit",
          entityId: unit.id,
          changes: {
            file: fileName.slice(0, 200),
            created: issued.length,
            existing: preview.counts.existing,
            rejected: preview.counts.rejected,
          },
        });
      },
      { timeout: 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("roster.errors.changedMeanwhile", { status: 409 });
    throw error;
  }
  return { ...preview, issued };
}

/** The unit's members, newest first, with whether each has activated their account. */
export async function rosterMembers(viewer: RosterViewer, unitId: string) {
  const unit = await rosterUnit(viewer, unitId);
  const members = await db.user.findMany({
    where: { unitId: unit.id },
    orderBy: [{ createdAt: "desc" }, { name: "asc" }],
    take: 2_000,
    select: { id: true, name: true, phone: true, department: true, activation: { select: { usedAt: true, expiresAt: true } } },
  });
  const now = new Date();
  return {
    unit,
    members: members.map(({ activation, ...member }) => ({
      ...member,
      state:
        !activation || activation.usedAt ? ("active" as const) : activation.expiresAt < now ? ("expired" as const) : ("pending" as const),
    })),
  };
}

/** A new code for a member who has not activated yet (the old one was lost or expired); the old code stops working. */
export async function reissueActivationCode(viewer: RosterViewer, unitId: string, userId: string): Promise<IssuedCode> {
  const unit = await rosterUnit(viewer, unitId);
  const member = await db.user.findFirst({
    where: { id: userId, unitId: unit.id },
    select: { id: true, name: true, phone: true, department: true, activation: { select: { usedAt: true } } },
  });
  if (!member) throw notFound();
  if (!member.activation || member.activation.usedAt) throw new DomainError("roster.errors.alreadyActive", { status: 409 });
  const code = newActivationCode();
  const expiresAt = new Date(Date.now() + ACTIVATION_DAYS * DAY);
  await db.$transaction(async (tx) => {
    await tx.activationCode.update({
      where: { userId: member.id },
      data: { codeHash: activationCodeHash(code), expiresAt, issuedById: viewer.id, createdAt: new Date() },
    });
    await recordAudit(tx, { actorId: viewer.id, action: "roster.code.reissue", entityType: "User", entityId: member.id });
  });
  return { userId: member.id, name: member.name, phone: member.phone ?? "", department: member.department, code, expiresAt };
}
