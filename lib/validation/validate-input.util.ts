import { SecPaidValidationError } from '../errors/secpaid-validation.error.js';
import { collectValidationIssues } from './validation-issues.util.js';

/**
 * Validates a camelCase input against its DTO class and returns it as a DTO instance; throws a
 * `SecPaidValidationError` naming every bad field (no request is sent then).
 */
export function validateInput<T extends object>(
  Dto: new () => T,
  input: unknown,
  endpoint: string,
  optional = false,
): T {
  if (input === undefined && optional) return new Dto();
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SecPaidValidationError([{ field: 'input', message: 'must be an object' }], endpoint);
  }
  const dto = input instanceof Dto ? input : Object.assign(new Dto(), input);
  const issues = collectValidationIssues(dto);
  if (issues.length > 0) throw new SecPaidValidationError(issues, endpoint);
  return dto;
}
