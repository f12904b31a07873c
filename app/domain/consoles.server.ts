// The figures each role's home page opens with.
import { db } from "~/db/client.server";

export async function teamOverview(villageId: string | null) {
  const where = villageId ? { villageId } : {};
  const [households, registeredPoor] = await Promise.all([
    db.household.count({ where }),
    db.household.count({ where: { ...where, status: "registered_poor" } }),
  ]);
  return { households, registeredPoor };
}

export async function adminOverview() {
  const [users, units] = await Promise.all([db.user.count(), db.unit.count()]);
  return { users, units };
}
