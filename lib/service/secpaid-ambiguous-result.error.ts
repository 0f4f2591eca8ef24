import type { PaymentLink } from '../models/payment-link.model.js';
import { SecPaidError } from '../core/secpaid.errors.js';

/**
 * A create with `{ reconcile: true }` failed after the request may have reached SecPaid, and
 * looking the link up could not settle whether it exists: several unused links match its note
 * and amount, or the lookup itself failed. Nothing was re-sent. `candidates` holds the matching
 * links found (empty when the lookup failed; then `cause` is the lookup's error), and
 * `sendError` the create's own failure.
 * @publicApi
 */
export class SecPaidAmbiguousResultError extends SecPaidError {
  declare readonly endpoint: string;
  /** The unused links that match the note and amount, created since just before the attempt. */
  readonly candidates: PaymentLink[];
  /** Why the create itself failed (a connection error that may have reached SecPaid). */
  readonly sendError: SecPaidError;

  constructor(
    message: string,
    options: {
      endpoint: string;
      candidates: PaymentLink[];
      sendError: SecPaidError;
      cause?: unknown;
    },
  ) {
    super(message, { endpoint: options.endpoint, cause: options.cause ?? options.sendError });
    this.candidates = options.candidates;
    this.sendError = options.sendError;
  }
}
