import { SecPaidError } from './secpaid.error.js';
import type { SecPaidValidationIssue } from './secpaid-validation.error.js';

/**
 * The module options (or `secpaidConfig` environment variables) are invalid. Thrown at
 * bootstrap with one message that names every bad field; values are never echoed.
 * @publicApi
 */
export class SecPaidConfigurationError extends SecPaidError {
  /** One entry per bad option. */
  readonly issues: SecPaidValidationIssue[];

  constructor(issues: SecPaidValidationIssue[]) {
    super(
      `Invalid SecPaid module options: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
    );
    this.issues = issues;
  }
}
