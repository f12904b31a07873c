// Progress against a target, shared by the pages and the spreadsheet. No server imports.

/** Progress as whole percent of the target, rounded down (null without a target, or with a target of 0). */
export function progressPercent(countedFen: number, targetFen: number | null) {
  return targetFen ? Math.floor((countedFen * 100) / targetFen) : null;
}
