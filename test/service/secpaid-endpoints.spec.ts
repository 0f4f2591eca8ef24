import { describe, expect, it } from '@jest/globals';
import { SecPaidService } from '../../lib/index.js';
import { SECPAID_ENDPOINTS } from '../../lib/service/secpaid-endpoints.js';

/** The endpoint methods of `SecPaidService` (its prototype but the constructor, `call`, `toJSON`). */
function serviceMethods(): string[] {
  // verifyCallback combines two list endpoints for the return page; noted records a create.
  const notEndpoints = new Set([
    'constructor',
    'call',
    'paginate',
    'reconciled',
    'toJSON',
    'verifyCallback',
    'noted',
  ]);
  return (
    Object.getOwnPropertyNames(SecPaidService.prototype)
      .filter((name) => !notEndpoints.has(name))
      // The paginate* methods walk the get* lists; they are no endpoints of their own.
      .filter((name) => !name.startsWith('paginate'))
      .sort()
  );
}

describe('SECPAID_ENDPOINTS', () => {
  it('has exactly one entry per SecPaidService method, keyed and named after it', () => {
    expect(Object.keys(SECPAID_ENDPOINTS).sort()).toEqual(serviceMethods());
    for (const [key, endpoint] of Object.entries(SECPAID_ENDPOINTS)) {
      expect([key, endpoint.method]).toEqual([key, key]);
    }
  });

  it('classes every create, refund and delete as a write (never replayed after sending)', () => {
    const writes = Object.values(SECPAID_ENDPOINTS)
      .filter((endpoint) => endpoint.safety === 'write')
      .map((endpoint) => endpoint.endpoint)
      .sort();
    expect(writes).toEqual(['createLink', 'createSplitLink', 'deleteLink', 'refundPayment']);
  });

  it('never retries the key check, and only the key check', () => {
    const neverRetried = Object.entries(SECPAID_ENDPOINTS)
      .filter(([, endpoint]) => 'neverRetried' in endpoint && endpoint.neverRetried === true)
      .map(([key]) => key);
    expect(neverRetried).toEqual(['verifyApiKey']);
  });

  it('keeps the entries immutable', () => {
    expect(Object.isFrozen(SECPAID_ENDPOINTS.createLink)).toBe(true);
  });
});
