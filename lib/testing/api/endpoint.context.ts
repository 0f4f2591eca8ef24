import type { MockAccount, MockLink } from '../secpaid-mock.types.js';
import type { MockBody } from '../server/body.parser.js';
import type { MockState } from '../server/state.store.js';
import { MockApiError, type MockEnvelope } from './envelope.util.js';

/** What an endpoint handler can see: the caller's account and the server's state. */
export interface MockEndpointContext {
  state: MockState;
  /** The authenticated caller. */
  account: MockAccount;
  /** Recipient tokens that exist in this environment (accounts + extra tokens). */
  knownRecipientTokens: ReadonlySet<string>;
  /** The mock's origin; pay links point at its hosted page. */
  baseUrl: string;
}

/** An endpoint handler: returns the envelope or throws `MockApiError`. */
export type MockEndpointHandler = (body: MockBody, context: MockEndpointContext) => MockEnvelope;

/**
 * The caller's link named by a request's `link_id` / `pay_id` (the same number). Throws
 * `Invalid link ID` when the id is not an integer or names no live link of the caller, and
 * `Link is cancelled` for a cancelled link: deleteLink and refundPayment answer both alike.
 */
export function requireCallerLink(context: MockEndpointContext, id: number): MockLink {
  const link = Number.isInteger(id)
    ? context.state.findLink(id, context.account.userId)
    : undefined;
  if (link === undefined) throw new MockApiError('Invalid link ID');
  if (link.status === 'Cancelled') throw new MockApiError('Link is cancelled');
  return link;
}
