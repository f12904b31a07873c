// Whose households a work-team member sees: a team member serves one village (User.villageId), an admin sees every
// village. Household files, monitoring, ledger causes and reports all scope their queries with these, so the scope
// lives apart from any of them (and none of them needs to import another for it).
import type { Prisma } from "~/db/client.server";
import { forbidden } from "~/domain/errors";

export type Viewer = { id: string; roles: string[]; villageId: string | null };

/** The village a viewer's households, figures and checks cover, for SQL: null for an admin (every village). */
export function viewerVillageId(viewer: Viewer): string | null {
  return viewer.roles.includes("admin") ? null : (viewer.villageId ?? "__none__");
}

/** The villages whose households a viewer may open: admins all, team members their own. */
export function villageScope(viewer: Viewer): Prisma.HouseholdWhereInput {
  const villageId = viewerVillageId(viewer);
  return villageId === null ? {} : { villageId };
}

/** The village a new household file goes into: the viewer's own; an account serving no village cannot open one. */
export function villageForNewFile(viewer: Viewer): string {
  if (!viewer.villageId) throw forbidden("households.errors.noVillage");
  return viewer.villageId;
}
