import { SecPaidValidationError } from '../core/secpaid.errors.js';
import { printableKey, snapshotKnownFields } from './known-fields.snapshot.js';
import { collectValidationIssues } from './validation-issues.util.js';

/**
 * Validates a camelCase input against its DTO class and returns a fresh DTO instance holding a
 * snapshot of the input's own, known fields: that snapshot is what was validated and what is
 * sent. Throws a `SecPaidValidationError` naming every bad field (no request is sent then):
 * unknown keys (a typo, an own `__proto__`) are rejected, not ignored, and an input that throws
 * while being read (a getter, a Proxy) is rejected too.
 */
export function validateInput<T extends object>(
  Dto: new () => T,
  input: unknown,
  endpoint: string,
  optional = false,
): T {
  if (input === undefined && optional) return new Dto();
  if (input === null || typeof input !== 'object' || isArray(input)) {
    throw new SecPaidValidationError([{ field: 'input', message: 'must be an object' }], endpoint);
  }
  let snapshot;
  try {
    snapshot = snapshotKnownFields(Dto, input);
  } catch {
    throw new SecPaidValidationError(
      [{ field: 'input', message: 'could not be read (a getter or Proxy threw)' }],
      endpoint,
    );
  }
  const issues = [
    ...snapshot.unknownKeys.map((key) => ({
      field: printableKey(key),
      message: 'is not a known field',
    })),
    ...collectValidationIssues(snapshot.instance),
  ];
  if (issues.length > 0) throw new SecPaidValidationError(issues, endpoint);
  return snapshot.instance;
}

/** `Array.isArray`, which throws for a revoked Proxy: that counts as "not an object" here. */
function isArray(value: object): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return true;
  }
}
