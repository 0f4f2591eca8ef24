import type { MockLink } from '../secpaid-mock.types.js';
import type { MockEndpointContext } from './endpoint.context.js';
import { MockApiError } from './envelope.util.js';

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
