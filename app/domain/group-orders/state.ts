// The life of a group order: draft → open → closed → delivered → settled, or cancelled before delivery.
// Opening and closing follow the clock: the stored status says what an organizer decided, the effective state adds
// what time has done since (an "open" order whose closesAt has passed is closed), so no scheduled job is needed;
// the stored status catches up lazily the next time the order is touched. Pure: no database, tested on its own.
import { shopDateOf } from "~/utils/dates";

export const GROUP_ORDER_STATES = ["draft", "open", "closed", "delivered", "settled", "cancelled"] as const;
export type GroupOrderState = (typeof GROUP_ORDER_STATES)[number];

export type GroupOrderClock = { status: GroupOrderState; opensAt: Date; closesAt: Date };

/** The state the order is in at `now`. An open order before opensAt is not taking orders yet: it counts as draft. */
export function effectiveState(group: GroupOrderClock, now: Date): GroupOrderState {
  if (group.status === "open") {
    if (now.getTime() >= group.closesAt.getTime()) return "closed";
    if (now.getTime() < group.opensAt.getTime()) return "draft";
  }
  return group.status;
}

/** True when the stored status lags behind the clock (open, but closesAt has passed) and should be written. */
export function needsLazyClose(group: GroupOrderClock, now: Date) {
  return group.status === "open" && effectiveState(group, now) === "closed";
}

export type GroupOrderCommand = "close" | "extend" | "deliver" | "settle" | "cancel";

const ALLOWED: Record<GroupOrderCommand, readonly GroupOrderState[]> = {
  close: ["open"],
  // An order not yet open may have its window moved as well.
  extend: ["draft", "open"],
  deliver: ["closed"],
  // The unit may pay before or after the goods arrive.
  settle: ["closed", "delivered"],
  // Refunds do not exist yet, so nothing that may have been paid and handed over can be cancelled.
  cancel: ["draft", "open", "closed"],
};

export function canApply(command: GroupOrderCommand, state: GroupOrderState) {
  return ALLOWED[command].includes(state);
}

/**
 * The state after a command, or null if the command is not allowed in `state`. Settled means paid by every unit
 * with unit-settled orders (`hasSettlement`) and delivered: until both, the order stays closed or delivered.
 */
export function nextState(command: GroupOrderCommand, state: GroupOrderState, { hasSettlement = false } = {}): GroupOrderState | null {
  if (!canApply(command, state)) return null;
  switch (command) {
    case "close":
      return "closed";
    case "extend":
      return state;
    case "deliver":
      return hasSettlement ? "settled" : "delivered";
    case "settle":
      return state === "delivered" && hasSettlement ? "settled" : state;
    case "cancel":
      return "cancelled";
  }
}

export type ScheduleProblem = "closesBeforeOpens" | "deliveryBeforeClose" | "closesInPast";

/** `deliveryDate` is a calendar date stored as UTC midnight (a PostgreSQL DATE). */
export function scheduleProblems(schedule: { opensAt: Date; closesAt: Date; deliveryDate: Date }, now?: Date): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (schedule.closesAt.getTime() <= schedule.opensAt.getTime()) problems.push("closesBeforeOpens");
  if (now && schedule.closesAt.getTime() <= now.getTime()) problems.push("closesInPast");
  if (schedule.deliveryDate.toISOString().slice(0, 10) < shopDateOf(schedule.closesAt)) problems.push("deliveryBeforeClose");
  return problems;
}
