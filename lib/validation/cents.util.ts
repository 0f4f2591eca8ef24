/**
 * EUR in integer cents, or undefined when `value` is not a finite number with at most 2
 * decimals (sign is left to the caller). Every money comparison and check in the package
 * goes through it, so amounts are never compared as floats.
 */
export function toCents(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const cents = Math.round(value * 100);
  // Exact: `cents / 100` and a 2-decimal literal are both the double nearest to the same
  // decimal, so they are equal (0.29 * 100 = 28.999999999999996 still rounds back to 0.29),
  // while 1e-9 or 10.000000001 are not (a tolerance let those through, unrounded).
  if (!Number.isSafeInteger(cents) || cents / 100 !== value) return undefined;
  return cents;
}
