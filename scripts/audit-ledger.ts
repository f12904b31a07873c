// npm run audit:ledger — recompute every household's credits, reversals, fees and payouts from orders, allocations,
// refunds and payouts; print every difference from the ledger; exit 1 if there is any. The result is kept for the
// work team's console.
import { loadConfig } from "~/config.server";
import { openDatabase } from "~/db/setup.server";
import { runAndRecordLedgerAudit } from "~/domain/ledger/audit.server";
import { formatFen } from "~/domain/money";

const database = await openDatabase(loadConfig());
let exitCode = 0;
try {
  const started = performance.now();
  const { householdsSeen, differences } = await runAndRecordLedgerAudit();
  for (const d of differences) {
    console.log(
      `${d.account} ${d.kind}: expected ${formatFen(d.expectedFen)}, ledger ${formatFen(d.ledgerFen)} (difference ${formatFen(d.ledgerFen - d.expectedFen)})`,
    );
  }
  console.log(
    `Ledger audit: ${householdsSeen} households, ${differences.length} difference(s), ${(performance.now() - started).toFixed(0)} ms.`,
  );
  exitCode = differences.length ? 1 : 0;
} catch (error) {
  console.error(error);
  exitCode = 2;
} finally {
  await database.close();
}
process.exit(exitCode);
