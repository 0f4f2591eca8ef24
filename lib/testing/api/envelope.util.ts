import { serverTimeZone } from './wire-format.util.js';

/** The envelope every SecPaid response uses (docs/secpaid-api.md §2.4). */
export interface MockEnvelope {
  ResponseCode: 0 | 1;
  ResponseMsg: string;
  Result: 'True' | 'False';
  ServerTime: string;
  data?: unknown;
  totalRecords?: number;
}

/** The documented auth failure message (getting-started/authentication). */
export const AUTH_FAILURE_MESSAGE = 'Incorrect token or missing token';
/** Undocumented: the mock's own message for an unknown path (under `/api/v2/` or elsewhere). */
export const ROUTE_NOT_FOUND_MESSAGE = 'Route not found';
/** The api/* pages' list success message (sic). */
export const LIST_SUCCESS_MESSAGE = 'List retrived successfully';

/**
 * A `ResponseCode: 0` answer. HTTP statuses are undocumented; the mock uses 401 for auth
 * failures, 429 for the rate limit and 400 for every business or validation error.
 */
export class MockApiError extends Error {
  constructor(
    message: string,
    readonly httpStatus = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'MockApiError';
  }
}

/** A success envelope; `data` first, as in the documented examples. */
export function successEnvelope(
  message: string,
  data?: unknown,
  totalRecords?: number,
): MockEnvelope {
  const envelope: Partial<MockEnvelope> = {};
  if (data !== undefined) envelope.data = data;
  if (totalRecords !== undefined) envelope.totalRecords = totalRecords;
  return {
    ...envelope,
    ResponseCode: 1,
    ResponseMsg: message,
    Result: 'True',
    ServerTime: serverTimeZone(),
  };
}

/** An error envelope. */
export function errorEnvelope(message: string): MockEnvelope {
  return { ResponseCode: 0, ResponseMsg: message, Result: 'False', ServerTime: serverTimeZone() };
}
