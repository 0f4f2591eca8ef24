import { describe, expect, it } from '@jest/globals';
import {
  SecPaidApiError,
  SecPaidAuthenticationError,
  SecPaidConnectionError,
  SecPaidNotFoundError,
  SecPaidRateLimitError,
  SecPaidServerError,
  SecPaidTimeoutError,
  SecPaidUnexpectedResponseError,
  SecPaidValidationError,
} from '../../lib/index.js';
import { SecPaidRetryPolicy } from '../../lib/http/retry.policy.js';

const api = { endpoint: 'x', httpStatus: 400 };
const connection = (code: string, sent: boolean): SecPaidConnectionError =>
  new SecPaidConnectionError('x', { code, requestMayHaveReachedServer: sent });

describe('SecPaidRetryPolicy.isRetryable (docs/architecture.md §4 safety classes)', () => {
  const policy = new SecPaidRetryPolicy();
  const cases: Array<[string, unknown, boolean, boolean]> = [
    ['429', new SecPaidRateLimitError({ ...api, httpStatus: 429 }), true, true],
    ['500', new SecPaidServerError({ ...api, httpStatus: 500 }), true, false],
    ['502', new SecPaidServerError({ ...api, httpStatus: 502 }), true, false],
    ['503', new SecPaidServerError({ ...api, httpStatus: 503 }), true, false],
    ['504', new SecPaidServerError({ ...api, httpStatus: 504 }), true, false],
    ['501', new SecPaidServerError({ ...api, httpStatus: 501 }), false, false],
    ['timeout', new SecPaidTimeoutError(100), true, false],
    ['ECONNRESET (may have reached)', connection('ECONNRESET', true), true, false],
    ['ECONNREFUSED (not sent)', connection('ECONNREFUSED', false), true, true],
    ['ENOTFOUND (not sent)', connection('ENOTFOUND', false), true, true],
    ['abort', connection('ABORT_ERR', false), false, false],
    ['auth', new SecPaidAuthenticationError(api), false, false],
    ['not found', new SecPaidNotFoundError(api), false, false],
    ['api refusal', new SecPaidApiError(api), false, false],
    ['unexpected body', new SecPaidUnexpectedResponseError('x', {}), false, false],
    ['validation', new SecPaidValidationError([]), false, false],
    ['foreign error', new Error('x'), false, false],
  ];

  it.each(cases)('%s: read %p, write %p', (_name, error, read, write) => {
    expect(policy.isRetryable(error, 'read')).toBe(read);
    expect(policy.isRetryable(error, 'write')).toBe(write);
  });
});

describe('SecPaidRetryPolicy.delayMs', () => {
  it('full jitter under an exponential ceiling: base 500 ms, cap 8 s', () => {
    const top = new SecPaidRetryPolicy({ random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6, 10].map((retry) => top.delayMs(retry))).toEqual([
      499, 999, 1999, 3999, 7999, 7999, 7999,
    ]);
    const bottom = new SecPaidRetryPolicy({ random: () => 0 });
    expect(bottom.delayMs(3)).toBe(0);
  });

  it('honours Retry-After up to its cap (30 s by default)', () => {
    const policy = new SecPaidRetryPolicy({ random: () => 0.5 });
    expect(policy.delayMs(1, 2000)).toBe(2000);
    expect(policy.delayMs(1, 0)).toBe(0);
    expect(policy.delayMs(1, 120_000)).toBe(30_000);
    expect(new SecPaidRetryPolicy({ retryAfterCapMs: 50 }).delayMs(1, 1000)).toBe(50);
  });
});
