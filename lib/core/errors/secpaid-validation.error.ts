import { SecPaidError } from './secpaid.error.js';

/** One problem with one field of an input. */
export interface SecPaidValidationIssue {
  /** Path of the field, e.g. `amount` or `recipients[1].share`. */
  field: string;
  /** What is wrong, without the offending value. */
  message: string;
}

/**
 * Bad input, rejected before any request was sent.
 * @publicApi
 */
export class SecPaidValidationError extends SecPaidError {
  /** One entry per problem found. */
  readonly issues: SecPaidValidationIssue[];

  constructor(issues: SecPaidValidationIssue[], endpoint?: string) {
    const where = endpoint ? ` for ${endpoint}` : '';
    super(
      `Invalid SecPaid input${where}: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
      { endpoint },
    );
    this.issues = issues;
  }
}
