import { SecPaidConnectionError, SecPaidError } from '../core/secpaid.errors.js';
import type { PaymentLink } from '../models/payment-link.model.js';
import { toCents } from '../validation/secpaid.validators.js';

/**
 * How far before the attempt a link's `createdAt` may lie and still count: SecPaid stamps links
 * with its own clock (Europe/Berlin), which may be off from ours.
 */
export const RECONCILE_CLOCK_SKEW_MS = 2 * 60_000;

/** The create that may be reconciled, and how to look links up. */
export interface ReconcilableCreate {
  endpoint: 'createLink' | 'createSplitLink';
  /** The validated note (required: it is what identifies the order's link). */
  note: string;
  amount: number;
  split: boolean;
  /** Sends the create once (no reconciliation inside). */
  send: () => Promise<PaymentLink>;
  /** Unused links whose note contains `note` (the list endpoint's search). */
  findUnused: (note: string) => Promise<PaymentLink[]>;
  /** True when the caller aborted: nothing is looked up or re-sent then. */
  aborted: () => boolean;
  now?: () => number;
}

/**
 * Sends a create; when it fails after the request may have reached SecPaid (a timeout, a reset,
 * a cut-off answer), looks for the link it may have created: unused links with exactly this
 * note and amount (and split flag), created since just before the attempt. One match: that is
 * the link, returned. None: the create provably did not happen (SecPaid answers lists from the
 * same store), so it is sent again, once. Several, or a failed lookup:
 * `SecPaidAmbiguousResultError` with what was found; nothing is re-sent. The precondition is a
 * note unique per order (the order number): two orders with one note and amount are
 * indistinguishable.
 */
export async function sendReconciled(create: ReconcilableCreate): Promise<PaymentLink> {
  const now = create.now ?? Date.now;
  for (let send = 1; ; send++) {
    const since = now() - RECONCILE_CLOCK_SKEW_MS;
    let sendError: SecPaidConnectionError;
    try {
      return await create.send();
    } catch (error) {
      if (!mayHaveBeenCreated(error) || create.aborted()) throw error;
      sendError = error;
    }
    let candidates: PaymentLink[];
    try {
      candidates = (await create.findUnused(create.note)).filter((link) =>
        matches(link, create, since),
      );
    } catch (lookupError) {
      throw new SecPaidAmbiguousResultError(
        `SecPaid ${create.endpoint} may have created a link, and looking it up failed`,
        { endpoint: create.endpoint, candidates: [], sendError, cause: lookupError },
      );
    }
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1 || send >= 2) {
      throw new SecPaidAmbiguousResultError(
        `SecPaid ${create.endpoint} may have created a link; ${candidates.length} unused links match its note and amount`,
        { endpoint: create.endpoint, candidates, sendError },
      );
    }
    // None exists: the first send did not create one, so sending again cannot duplicate it.
  }
}

/** A connection failure after which the link may exist (not a caller's abort). */
function mayHaveBeenCreated(error: unknown): error is SecPaidConnectionError {
  return (
    error instanceof SecPaidConnectionError &&
    error.requestMayHaveReachedServer &&
    error.code !== 'ABORT_ERR'
  );
}

function matches(link: PaymentLink, create: ReconcilableCreate, since: number): boolean {
  return (
    link.note === create.note &&
    toCents(link.amount) === toCents(create.amount) &&
    link.isSplit === create.split &&
    // A link without a creation time cannot be excluded: it stays a candidate.
    (link.createdAt === undefined || link.createdAt.getTime() >= since)
  );
}

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
