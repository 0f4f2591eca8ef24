/**
 * `/dashboard*` on the mock's own listener (so on the address it binds, loopback by default):
 * the page, its live fragment, its event stream and its actions. These requests are answered
 * before the request log, the fault injector and the rate limit, so an open dashboard neither
 * fills `mock.requests` nor spends an API key's budget.
 *
 * A page on another site must not drive the dashboard: every request must name the mock by an IP
 * address or `localhost` in `Host` (a DNS-rebinding name is refused), and actions are JSON posts
 * whose `Origin`, when sent, is the mock's own (a cross-site form cannot send JSON without a
 * CORS preflight, which the mock never grants).
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  MockFault,
  MockPaymentOptions,
  MockPaymentResult,
  MockResendOptions,
  MockWebhookDelivery,
} from '../secpaid-mock.types.js';
import { dashboardContentHtml, type DashboardSnapshot } from './dashboard.content.js';
import type { DashboardEvents } from './dashboard.events.js';
import { dashboardPageHtml } from './dashboard.page.js';

/** Path prefix of everything the dashboard serves. */
export const DASHBOARD_PATH = '/dashboard';

/** What the dashboard needs from the server. */
export interface DashboardDeps {
  events: DashboardEvents;
  /** Names of the v2 endpoints (the fault form's choices). */
  endpoints: readonly string[];
  /** The configured bind host (allowed in `Host` besides IP addresses and `localhost`). */
  host: string;
  snapshot(): DashboardSnapshot;
  pay(linkId: number, options: MockPaymentOptions): Promise<MockPaymentResult>;
  cancel(linkId: number): Promise<MockPaymentResult>;
  fail(linkId: number): Promise<MockPaymentResult>;
  resendWebhook(deliveryId: number, options: MockResendOptions): Promise<MockWebhookDelivery>;
  injectFault(fault: MockFault): void;
}

/** Whether a path belongs to the dashboard. */
export function isDashboardPath(path: string): boolean {
  return path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(text);
}

function sendResult(res: ServerResponse, status: number, result: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json', ...SECURITY_HEADERS });
  res.end(JSON.stringify(result));
}

/** The hostname of a `Host` header (`[::1]:4010` -> `::1`), or undefined when malformed. */
function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (hostHeader === undefined || hostHeader === '') return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/** `Host` names the mock by address, `localhost` or its configured host (no rebinding names). */
function hostAllowed(req: IncomingMessage, configuredHost: string): boolean {
  const hostname = hostnameOf(req.headers.host);
  if (hostname === undefined) return false;
  return hostname === 'localhost' || hostname === configuredHost || isIP(hostname) !== 0;
}

/** An action comes from the dashboard itself: JSON, and same-origin when the browser says. */
function sameOriginPost(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return false;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** A positive integer id from an action body. */
function idOf(body: Record<string, unknown>): number {
  const id = body['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new DashboardActionError('id must be a positive integer');
  }
  return id;
}

/** A refused action: answered 400 with its message. */
class DashboardActionError extends Error {}

/** Runs one action; resolves to the line the page shows. */
async function runAction(body: Record<string, unknown>, deps: DashboardDeps): Promise<string> {
  const value = typeof body['value'] === 'string' ? body['value'].trim() : undefined;
  switch (body['action']) {
    case 'pay':
      await deps.pay(idOf(body), {});
      return `Link ${idOf(body)} paid.`;
    case 'pay-later': {
      const visibleAfterMs = Number(value);
      if (value === undefined || !Number.isInteger(visibleAfterMs) || visibleAfterMs < 0) {
        throw new DashboardActionError('the delay must be a whole number of ms >= 0');
      }
      await deps.pay(idOf(body), { visibleAfterMs });
      return `Link ${idOf(body)} paid; the pay-in shows in the API after ${visibleAfterMs} ms.`;
    }
    case 'cancel':
      await deps.cancel(idOf(body));
      return `Link ${idOf(body)} cancelled.`;
    case 'fail':
      await deps.fail(idOf(body));
      return `Payment of link ${idOf(body)} failed; the Failed webhook was sent.`;
    case 'resend':
    case 'resend-to': {
      const options: MockResendOptions = {};
      if (body['action'] === 'resend-to') {
        if (value === undefined || !/^https?:\/\/[^\s]+$/i.test(value)) {
          throw new DashboardActionError('the URL must start with http:// or https://');
        }
        options.url = value;
      }
      const delivery = await deps.resendWebhook(idOf(body), options);
      const answer =
        delivery.status !== undefined ? `HTTP ${delivery.status}` : (delivery.error ?? '');
      return `Delivery ${idOf(body)} sent again as #${delivery.id}: ${answer}.`;
    }
    case 'fault': {
      const endpoint = typeof body['endpoint'] === 'string' ? body['endpoint'] : '';
      const status = body['status'];
      const times = body['times'];
      if (endpoint !== '' && !deps.endpoints.includes(endpoint)) {
        throw new DashboardActionError('unknown endpoint');
      }
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
        throw new DashboardActionError('status must be an HTTP error status (400-599)');
      }
      if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > 100) {
        throw new DashboardActionError('times must be 1-100');
      }
      deps.injectFault({ ...(endpoint ? { endpoint } : {}), status, times });
      return `The next ${times} call(s) of ${endpoint || 'any endpoint'} answer HTTP ${status}.`;
    }
    default:
      throw new DashboardActionError('unknown action');
  }
}

/** Answers a `/dashboard*` request. `raw` is the request body. */
export async function routeDashboard(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  raw: string,
  deps: DashboardDeps,
): Promise<void> {
  if (!hostAllowed(req, deps.host)) {
    return sendText(res, 403, 'The dashboard answers only to the address the mock listens on.');
  }
  if (req.method === 'GET' && path === DASHBOARD_PATH) {
    const nonce = randomBytes(16).toString('base64');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "connect-src 'self'",
        "img-src 'self' data:",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join('; '),
      ...SECURITY_HEADERS,
    });
    const snapshot = deps.snapshot();
    res.end(
      dashboardPageHtml({
        environment: snapshot.environment,
        endpoints: deps.endpoints,
        content: dashboardContentHtml(snapshot),
        version: deps.events.version,
        nonce,
      }),
    );
    return;
  }
  if (req.method === 'GET' && path === `${DASHBOARD_PATH}/content`) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
    res.end(dashboardContentHtml(deps.snapshot()));
    return;
  }
  if (req.method === 'GET' && path === `${DASHBOARD_PATH}/events`) {
    return deps.events.open(res);
  }
  if (req.method === 'POST' && path === `${DASHBOARD_PATH}/actions`) {
    if (!sameOriginPost(req)) {
      return sendResult(res, 403, { ok: false, error: 'actions come from the dashboard only' });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return sendResult(res, 400, { ok: false, error: 'the body must be a JSON object' });
    }
    try {
      const message = await runAction(body as Record<string, unknown>, deps);
      return sendResult(res, 200, { ok: true, message });
    } catch (error) {
      const status = error instanceof DashboardActionError ? 400 : 409;
      const message = error instanceof Error ? error.message : 'action failed';
      return sendResult(res, status, { ok: false, error: message });
    }
  }
  sendText(res, 404, 'Not found');
}
