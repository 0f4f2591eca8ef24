/**
 * EUR in integer cents, or undefined when `value` is not a finite number with at most 2
 * decimals (sign is left to the caller). Every money comparison and check in the package
 * goes through it, so amounts are never compared as floats.
 */
export function toCents(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const cents = Math.round(value * 100);
  // 1e-6 absorbs binary noise (0.29 * 100 = 28.999999999999996) but rejects a third decimal.
  if (Math.abs(value * 100 - cents) > 1e-6 || !Number.isSafeInteger(cents)) return undefined;
  return cents;
}
