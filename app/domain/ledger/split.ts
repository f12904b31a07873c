// How a paid line's money is divided (DOMAIN §4): across the lots (so households) that filled it, then each share into
// the cooperative's fee and the household's income, and what a refund of some units takes back. Pure integer fen.

export const BASIS_POINTS = 10_000;

/** round-half-up of numerator / denominator for non-negative integers, without floats. */
function divideRoundHalfUp(numerator: number, denominator: number) {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function assertFen(name: string, value: number) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/** The cooperative's fee on an amount: round-half-up of amount × rate (DOMAIN §4's one rounding rule). */
export function feeFor(amountFen: number, feeRateBp: number) {
  assertFen("amountFen", amountFen);
  if (!Number.isInteger(feeRateBp) || feeRateBp < 0 || feeRateBp > BASIS_POINTS)
    throw new RangeError(`feeRateBp out of range: ${feeRateBp}`);
  return divideRoundHalfUp(amountFen * feeRateBp, BASIS_POINTS);
}

export type AllocationShare<K> = { key: K; quantity: number; shareFen: number; feeFen: number; householdFen: number };

/**
 * Splits a line's total across its allocations in proportion to quantity, then each share into the cooperative's
 * fee and the household's income (DOMAIN §4). Proportional shares are floored and the fen left over go one each to
 * the largest remainders (ties to the earlier allocation), so shares add up to the line total exactly; the fee is
 * rounded half-up on each share and the household gets the rest, so fee + household = share exactly.
 */
export function splitLineTotal<K>(
  lineTotalFen: number,
  feeRateBp: number,
  allocations: { key: K; quantity: number }[],
): AllocationShare<K>[] {
  assertFen("lineTotalFen", lineTotalFen);
  if (allocations.length === 0) throw new RangeError("A line needs at least one allocation to split");
  for (const a of allocations)
    if (!Number.isSafeInteger(a.quantity) || a.quantity <= 0)
      throw new RangeError(`Allocation quantity must be positive, got ${a.quantity}`);
  const totalQuantity = allocations.reduce((sum, a) => sum + a.quantity, 0);
  const exact = allocations.map((a) => ({
    floor: Math.floor((lineTotalFen * a.quantity) / totalQuantity),
    remainder: (lineTotalFen * a.quantity) % totalQuantity,
  }));
  if (!Number.isSafeInteger(lineTotalFen * totalQuantity)) throw new RangeError("Line total too large to split exactly");
  let leftover = lineTotalFen - exact.reduce((sum, e) => sum + e.floor, 0);
  const byRemainder = exact.map((e, index) => ({ ...e, index })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  const shares = exact.map((e) => e.floor);
  for (const { index } of byRemainder) {
    if (leftover === 0) break;
    shares[index]! += 1;
    leftover -= 1;
  }
  return allocations.map((a, index) => {
    const shareFen = shares[index]!;
    const feeFen = feeFor(shareFen, feeRateBp);
    return { key: a.key, quantity: a.quantity, shareFen, feeFen, householdFen: shareFen - feeFen };
  });
}

/**
 * What refunding `units` more units of one allocation reverses, given how many were refunded before. The credit
 * kept for the units still sold is recomputed as if only they had been sold, so a refund of k units reverses exactly
 * those units' credits and refunding every unit reverses everything that was credited, to the fen (DOMAIN §5.3).
 */
export function reversalForRefund(
  share: { quantity: number; shareFen: number; feeFen: number },
  feeRateBp: number,
  alreadyRefunded: number,
  units: number,
) {
  if (!Number.isInteger(units) || units <= 0 || alreadyRefunded < 0 || alreadyRefunded + units > share.quantity) {
    throw new RangeError(`Cannot refund ${units} of ${share.quantity - alreadyRefunded} remaining units`);
  }
  const keptShare = (remaining: number) => Math.floor((share.shareFen * remaining) / share.quantity);
  const keptFee = (remaining: number) => (remaining === share.quantity ? share.feeFen : feeFor(keptShare(remaining), feeRateBp));
  const before = share.quantity - alreadyRefunded;
  const after = before - units;
  const shareFen = keptShare(before) - keptShare(after);
  const feeFen = keptFee(before) - keptFee(after);
  return { shareFen, feeFen, householdFen: shareFen - feeFen };
}
