import { validateSync, type ValidationError } from 'class-validator';
import type { SecPaidValidationIssue } from '../core/secpaid.errors.js';

/**
 * Runs class-validator on a decorated instance and flattens the result into
 * `{ field, message }` issues with dotted/bracketed paths. Values are never copied into
 * messages (class-validator's `$value` is not used anywhere in this package).
 */
export function collectValidationIssues(instance: object): SecPaidValidationIssue[] {
  return flatten(validateSync(instance, { forbidUnknownValues: false }), '');
}

function flatten(errors: ValidationError[], parent: string): SecPaidValidationIssue[] {
  return errors.flatMap((error) => {
    const field = joinPath(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: stripPropertyName(message, error.property),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** class-validator's default messages start with the property name; we print the path instead. */
function stripPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
