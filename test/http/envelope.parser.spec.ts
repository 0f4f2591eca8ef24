import { describe, expect, it } from '@jest/globals';
import {
  SecPaidApiError,
  SecPaidAuthenticationError,
  SecPaidNotFoundError,
  SecPaidRateLimitError,
  SecPaidServerError,
  SecPaidUnexpectedResponseError,
} from '../../lib/index.js';
import { parseEnvelope } from '../../lib/http/envelope.parser.js';

const KEY = 'envelopeKey0123456789abcdefghij';
const ok = { ResponseCode: 1, ResponseMsg: 'x', Result: 'True', data: [] };
const refused = (message: string): object => ({
  ResponseCode: 0,
  ResponseMsg: message,
  Result: 'False',
});
const parse = (status: number, data: unknown, headers: Record<string, unknown> = {}): unknown =>
  parseEnvelope({ status, data, headers }, 'createLink', [KEY]);
const failure = (status: number, data: unknown, headers?: Record<string, unknown>): unknown => {
  try {
    parse(status, data, headers);
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('parseEnvelope: the envelope decides, whatever the HTTP status', () => {
  it('success is ResponseCode 1 and Result "True", even with an unusual status', () => {
    expect(parse(200, ok)).toBe(ok);
    expect(parse(400, ok)).toBe(ok);
    expect(parse(200, JSON.stringify(ok))).toEqual(ok);
  });

  it('ResponseCode 1 with Result "False" (or the reverse) is not a success', () => {
    expect(failure(200, { ...ok, Result: 'False' })).toBeInstanceOf(SecPaidApiError);
    expect(failure(200, { ...ok, ResponseCode: 0 })).toBeInstanceOf(SecPaidApiError);
  });

  it.each([
    [200, refused('Incorrect token or missing token'), SecPaidAuthenticationError],
    [400, refused('Please enter token'), SecPaidAuthenticationError],
    [401, refused('whatever'), SecPaidAuthenticationError],
    [403, 'Forbidden', SecPaidAuthenticationError],
    [401, { message: 'Unauthorized' }, SecPaidAuthenticationError],
    [404, '<html>Not Found</html>', SecPaidUnexpectedResponseError],
    [200, refused('Invalid link ID'), SecPaidNotFoundError],
    [400, refused('Link not found'), SecPaidNotFoundError],
    [200, refused('Invalid recipient token at index 1'), SecPaidApiError],
    [429, '', SecPaidRateLimitError],
    [503, '<html>down</html>', SecPaidServerError],
    [200, '<html>login</html>', SecPaidUnexpectedResponseError],
    [200, '', SecPaidUnexpectedResponseError],
    [200, [1, 2], SecPaidUnexpectedResponseError],
    [200, { data: {} }, SecPaidUnexpectedResponseError],
  ])('HTTP %i %j -> %p', (status, body, errorClass) => {
    const error = failure(status, body);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).constructor).toBe(errorClass);
    expect(error).toMatchObject({ endpoint: 'createLink' });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('429 carries Retry-After; messages and causes are scrubbed of the key', () => {
    expect(failure(429, refused('slow down'), { 'retry-after': '3' })).toMatchObject({
      retryAfterMs: 3000,
    });
    const echoed = failure(200, refused(`Incorrect token ${KEY}`)) as SecPaidApiError;
    expect(echoed.responseMessage).toBe('Incorrect token [REDACTED]');
    const html = failure(200, `<html>${KEY}`) as Error;
    expect(String(html.cause)).not.toContain(KEY);
    expect(html.message).not.toContain(KEY);
  });
});
