/** The hosted payment page, its Pay/Cancel/Fail form targets and the mock's own result page. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROUTE_NOT_FOUND_MESSAGE, errorEnvelope } from '../api/envelope.util.js';
import { decodeLinkId } from '../api/wire-format.util.js';
import type { MockLink, MockPaymentResult } from '../secpaid-mock.types.js';
import { readString, type MockBody } from '../server/body.parser.js';
import { escapeHtml, sendHtml, sendJson } from '../server/http.util.js';
import type { MockState } from '../server/state.store.js';
import { notFoundPageHtml, paymentPageHtml, resultPageHtml } from './payment.page.js';

/** What the page routes need from the server. */
export interface MockPaymentRoutesDeps {
  state: MockState;
  pay(linkId: number): Promise<MockPaymentResult>;
  cancel(linkId: number): Promise<MockPaymentResult>;
  fail(linkId: number): Promise<MockPaymentResult>;
}

/** The form targets of the hosted page's buttons. */
const PAGE_ACTIONS: Record<string, 'pay' | 'cancel' | 'fail'> = {
  '/payment/pay': 'pay',
  '/payment/cancel': 'cancel',
  '/payment/fail': 'fail',
};

function linkFromEncoded(state: MockState, encoded: string): MockLink | undefined {
  const id = decodeLinkId(encoded);
  return id === undefined ? undefined : state.findLink(id);
}

/** Answers a non-API request (404 envelope for unknown paths). */
export async function routePaymentPages(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: MockBody,
  deps: MockPaymentRoutesDeps,
): Promise<void> {
  const path = url.pathname;
  if (req.method === 'GET' && path === '/payment') {
    const encoded = url.searchParams.get('link_id') ?? '';
    const link = linkFromEncoded(deps.state, encoded);
    // api/delete-link: a deleted link's pay URL returns 404.
    if (link === undefined) return sendHtml(res, 404, notFoundPageHtml());
    return sendHtml(res, 200, paymentPageHtml(link, encoded));
  }
  const action = Object.hasOwn(PAGE_ACTIONS, path) ? PAGE_ACTIONS[path] : undefined;
  if (req.method === 'POST' && action !== undefined) {
    const link = linkFromEncoded(deps.state, readString(body.link_id) ?? '');
    if (link === undefined) return sendHtml(res, 404, notFoundPageHtml());
    try {
      const result = await deps[action](link.id);
      res.writeHead(303, { location: result.redirectUrl });
      res.end();
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Payment failed';
      sendHtml(res, 409, `<!doctype html><p>${escapeHtml(message)}</p>`);
    }
    return;
  }
  if (req.method === 'GET' && path === '/payment/result') {
    const status = url.searchParams.get('status') ?? '';
    return sendHtml(res, 200, resultPageHtml(status, url.searchParams.get('pay_id') ?? ''));
  }
  sendJson(res, 404, errorEnvelope(ROUTE_NOT_FOUND_MESSAGE));
}
