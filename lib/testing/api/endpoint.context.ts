import type { MockAccount } from '../secpaid-mock.types.js';
import type { MockBody } from '../server/body.parser.js';
import type { MockState } from '../server/state.store.js';
import type { MockEnvelope } from './envelope.util.js';

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
