/**
 * `POST /api/v2/<endpoint>`: rate limit, then auth (key of this environment), then the handler.
 * HTTP statuses are undocumented by SecPaid; the mock's choices are listed on SecPaidMockServer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockAccount, MockEnvironment } from '../secpaid-mock.types.js';
import type { MockBody } from '../server/body.parser.js';
import { sendJson } from '../server/http.util.js';
import type { MockEndpointContext, MockEndpointHandler } from './endpoint.context.js';
import {
  AUTH_FAILURE_MESSAGE,
  MockApiError,
  ROUTE_NOT_FOUND_MESSAGE,
  errorEnvelope,
  type MockEnvelope,
} from './envelope.util.js';
import { createLink, createSplitLink, deleteLink } from './link.endpoints.js';
import {
  getMyUnusedLinks,
  getMyUsedLinks,
  getPayInTransactions,
  getPayOutTransactions,
  getTaxInvoiceList,
} from './list.endpoints.js';
import { refundPayment } from './refund.endpoint.js';

/** The nine v2 endpoints, by name (`POST /api/v2/<name>`). */
export const MOCK_ENDPOINTS: Readonly<Record<string, MockEndpointHandler>> = {
  createLink,
  createSplitLink,
  deleteLink,
  refundPayment,
  getMyUnusedLinks,
  getMyUsedLinks,
  getPayInTransactions,
  getPayOutTransactions,
  getTaxInvoiceList,
};

/** Undocumented: SecPaid's 429 body is not documented; the mock answers this envelope. */
export const RATE_LIMIT_MESSAGE = 'Too Many Requests';

/** What the API router needs from the server. */
export interface MockApiRouterDeps {
  environment: MockEnvironment;
  accounts: readonly MockAccount[];
  limiter: MockRateLimiter;
  context(account: MockAccount): MockEndpointContext;
}

const API_PREFIX = '/api/v2/';

/** The v2 endpoint name of a path (`/api/v2/createLink` -> `createLink`), else `undefined`. */
export function apiEndpointName(path: string): string | undefined {
  return path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : undefined;
}

/** The `token` header, `undefined` when absent or empty. */
function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.token;
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value === '' ? undefined : value;
}

/** Answers one `/api/v2/*` request. `body` is undefined when it could not be parsed. */
export function routeApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: string,
  body: MockBody | undefined,
  parseError: string | undefined,
  deps: MockApiRouterDeps,
): void {
  const token = tokenOf(req);
  const retryAfter = deps.limiter.hit(token ?? `ip:${req.socket.remoteAddress ?? ''}`);
  if (retryAfter !== undefined) {
    res.setHeader('Retry-After', String(retryAfter));
    return sendJson(res, 429, errorEnvelope(RATE_LIMIT_MESSAGE));
  }
  // A key seeded for the other environment is rejected exactly like an unknown key.
  const account = deps.accounts.find(
    (a) => a.apiKey === token && a.environment === deps.environment,
  );
  if (account === undefined) return sendJson(res, 401, errorEnvelope(AUTH_FAILURE_MESSAGE));
  const handler = Object.hasOwn(MOCK_ENDPOINTS, endpoint) ? MOCK_ENDPOINTS[endpoint] : undefined;
  // Undocumented: the messages for unknown routes, wrong methods and bad bodies are the mock's own.
  if (handler === undefined) return sendJson(res, 404, errorEnvelope(ROUTE_NOT_FOUND_MESSAGE));
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendJson(res, 405, errorEnvelope('Method not allowed'));
  }
  if (body === undefined) {
    return sendJson(res, 400, errorEnvelope(parseError ?? 'Invalid request body'));
  }
  let envelope: MockEnvelope;
  try {
    envelope = handler(body, deps.context(account));
  } catch (error) {
    if (!(error instanceof MockApiError)) throw error;
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    return sendJson(res, error.httpStatus, errorEnvelope(error.message));
  }
  sendJson(res, 200, envelope);
}

/**
 * Fixed one-minute windows per key (SecPaid: 60 requests/min, window type undocumented).
 * Pure bookkeeping on `Date.now()`: no timers, so nothing keeps the process alive.
 */
/** Per-key request counter answering "wait N seconds" once a key is over its budget. */
export class MockRateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly requestsPerMinute: number | false) {}

  /** Counts a request; returns the seconds to wait when over the limit, otherwise `undefined`. */
  hit(key: string, now = Date.now()): number | undefined {
    if (this.requestsPerMinute === false) return undefined;
    let window = this.windows.get(key);
    if (window === undefined || now - window.startedAt >= 60_000) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= this.requestsPerMinute) return undefined;
    return Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000));
  }

  /** Forgets every window. */
  clear(): void {
    this.windows.clear();
  }
}
