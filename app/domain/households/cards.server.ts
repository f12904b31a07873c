// Household cards (DOMAIN §2: the household sees its own sales and payouts through a private link printed on a card,
// with no account and no password). A card carries /h/<token>: 32 random bytes, of which only the SHA-256 is kept,
// so a card can be printed once, when it is issued, and never again from the database; issuing a new one replaces
// the hash and the old card stops working at once. Looking a token up is one indexed equality on its hash, the same
// work for a token that never existed, one that was replaced and one cut short, so none of them answers differently.
// Issuing is the team's (for its village; admins for all); every issue, replacement and opening is audited.
import { createHash, randomBytes } from "node:crypto";
import QRCode from "qrcode";
import { db, Prisma } from "~/db/client.server";
import { recordAudit } from "~/domain/audit.server";
import { DomainError, notFound } from "~/domain/errors";
import { MAX_CARDS_PER_ISSUE, type CardIssueInput, type PrintedCard } from "./card-schemas";
import { villageScope, type Viewer } from "./scope.server";

const TOKEN_BYTES = 32;

export function cardTokenHash(token: string) {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function householdCardUrl(token: string, appUrl: string) {
  return new URL(`/h/${token}`, appUrl).toString();
}

type Named = { consentToDisplay: boolean; displayName: string | null; headName: string };

/** What a card calls the household: the name it agreed to be shown by, else its family name (王家), never the head's full name. */
export function cardName(household: Named) {
  if (household.consentToDisplay && household.displayName) return household.displayName;
  return `${Array.from(household.headName)[0] ?? ""}家`;
}

const cardHouseholdSelect = {
  id: true,
  code: true,
  headName: true,
  displayName: true,
  consentToDisplay: true,
  villageGroup: true,
  village: { select: { name: true, nameEn: true } },
} as const;

/** The households of the viewer's villages with their card: when it was issued, how often and when last opened since. */
export async function listHouseholdCards(viewer: Viewer, { q, group }: { q: string; group: string }) {
  const search = q.trim();
  const households = await db.household.findMany({
    where: {
      ...villageScope(viewer),
      ...(group ? { villageGroup: group } : {}),
      ...(search ? { OR: [{ code: { contains: search, mode: "insensitive" } }, { displayName: { contains: search } }] } : {}),
    },
    orderBy: { code: "asc" },
    take: MAX_CARDS_PER_ISSUE,
    select: { ...cardHouseholdSelect, card: { select: { issuedAt: true } } },
  });
  const ids = households.map((h) => h.id);
  const [openings, groups] = await Promise.all([
    ids.length === 0
      ? []
      : db.$queryRaw<{ householdId: string; openings: number; lastOpenedAt: Date | null }[]>`
          SELECT c."householdId", COUNT(a."id")::int AS "openings", MAX(a."createdAt") AS "lastOpenedAt"
          FROM "HouseholdCard" c
          LEFT JOIN "AuditLog" a ON a."entityType" = 'Household' AND a."entityId" = c."householdId"
            AND a."action" = 'household.card.open' AND a."createdAt" >= c."issuedAt"
          WHERE c."householdId" IN (${Prisma.join(ids)})
          GROUP BY c."householdId"`,
    db.household.findMany({
      where: villageScope(viewer),
      distinct: ["villageGroup"],
      orderBy: { villageGroup: "asc" },
      select: { villageGroup: true },
    }),
  ]);
  const openingsById = new Map(openings.map((o) => [o.householdId, o]));
  return {
    groups: groups.map((g) => g.villageGroup),
    households: households.map(({ card, headName, displayName, consentToDisplay, ...household }) => ({
      ...household,
      name: cardName({ headName, displayName, consentToDisplay }),
      card: card && {
        issuedAt: card.issuedAt,
        openings: openingsById.get(household.id)?.openings ?? 0,
        lastOpenedAt: openingsById.get(household.id)?.lastOpenedAt ?? null,
      },
    })),
  };
}

/**
 * Issues cards and answers them for printing, the only time their links exist outside the households' hands.
 * `missing` issues only where there is no card (concurrent issues cannot both take one household); `selected`
 * replaces existing cards only with `confirm`.
 */
export async function issueHouseholdCards(viewer: Viewer, input: CardIssueInput, appUrl: string, now = new Date()) {
  const issued = await db.$transaction(async (tx) => {
    const households = await tx.household.findMany({
      where:
        input.intent === "missing"
          ? { ...villageScope(viewer), card: { is: null }, ...(input.group ? { villageGroup: input.group } : {}) }
          : { ...villageScope(viewer), id: { in: input.householdIds } },
      orderBy: { code: "asc" },
      take: MAX_CARDS_PER_ISSUE + 1,
      select: { ...cardHouseholdSelect, card: { select: { issuedAt: true } } },
    });
    if (input.intent === "selected" && households.length !== new Set(input.householdIds).size) throw notFound();
    if (households.length === 0) throw new DomainError("cards.errors.noneMissing");
    if (households.length > MAX_CARDS_PER_ISSUE) throw new DomainError("cards.errors.tooMany", { status: 422 });
    const replacing = households.filter((h) => h.card).length;
    if (input.intent === "selected" && replacing > 0 && input.confirm !== "yes")
      throw new DomainError("cards.errors.confirmReplace", { field: "confirm", params: { count: replacing } });

    // One statement for the whole issue, however many households (the demo village has 300 without a card): a
    // household that got its card meanwhile is skipped when only the missing ones were asked for, replaced when chosen.
    const tokens = households.map(() => randomBytes(TOKEN_BYTES).toString("base64url"));
    const written = await tx.$queryRaw<{ householdId: string }[]>`
      INSERT INTO "HouseholdCard" ("householdId", "tokenHash", "issuedAt", "issuedById")
      SELECT card."householdId", card."tokenHash", ${now}::timestamp, ${viewer.id}
      FROM unnest(${households.map((h) => h.id)}::text[], ${tokens.map(cardTokenHash)}::text[]) AS card("householdId", "tokenHash")
      ON CONFLICT ("householdId") DO UPDATE
        SET "tokenHash" = EXCLUDED."tokenHash", "issuedAt" = EXCLUDED."issuedAt", "issuedById" = EXCLUDED."issuedById"
        WHERE ${input.intent === "selected"}
      RETURNING "householdId"`;
    const writtenIds = new Set(written.map((row) => row.householdId));
    const cards = households.flatMap((household, index) => (writtenIds.has(household.id) ? [{ household, token: tokens[index]! }] : []));
    await tx.auditLog.createMany({
      data: cards.map(({ household }) => ({
        actorId: viewer.id,
        action: household.card ? "household.card.replace" : "household.card.issue",
        entityType: "Household",
        entityId: household.id,
        changes: household.card ? { previousIssuedAt: household.card.issuedAt.toISOString() } : undefined,
      })),
    });
    return cards;
  });
  const printed: PrintedCard[] = [];
  for (const { household, token } of issued) {
    const url = householdCardUrl(token, appUrl);
    printed.push({
      householdId: household.id,
      code: household.code,
      name: cardName(household),
      villageGroup: household.villageGroup,
      village: household.village,
      url,
      // Level M with a quiet zone of 2: reads from a phone at the ~30 mm a card gives it, even a little worn.
      qrSvg: await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 }),
    });
  }
  return printed;
}

/**
 * The household a card's token opens, with the opening audited (when, and nothing about who: no address is kept);
 * a 404 for any token that is not a live card's.
 */
export async function openHouseholdCard(token: string) {
  const card = await db.householdCard.findUnique({ where: { tokenHash: cardTokenHash(token) }, select: { householdId: true } });
  if (!card) throw notFound();
  await recordAudit(db, { actorId: null, action: "household.card.open", entityType: "Household", entityId: card.householdId });
  return card.householdId;
}
