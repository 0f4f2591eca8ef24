import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import {
  answerStatus,
  startRecordingServer,
  type RecordingServer,
} from '../../support/loopback-server.js';
import { callApi, dataOf } from '../../support/mock-api.client.js';
import { waitFor } from '../../support/wait-for.js';

const KEY = 'dashKey0123456789abcdefghijklmno';
const NOTE = '<script>alert(1)</script><img src=x onerror="alert(2)"> & \'quotes\'';

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One HTTP request with full control of the headers (fetch cannot set `Host`). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(options.body);
  });
}

describe('SecPaidMockServer dashboard over HTTP', () => {
  let mock: SecPaidMockServer;
  let receiver: RecordingServer;

  const act = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    send(`${mock.baseUrl}/dashboard/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(payload),
    });
  const createLink = async (body: Record<string, unknown> = {}): Promise<number> =>
    dataOf(await callApi(mock.baseUrl, 'createLink', { amount: 9.5, ...body }, KEY)).id as number;

  beforeAll(async () => {
    receiver = await startRecordingServer(answerStatus(200));
    mock = await SecPaidMockServer.start({
      // Two API calls a minute: the dashboard must not spend them.
      rateLimit: { requestsPerMinute: 2 },
      accounts: [{ apiKey: KEY, paymentEndpoints: [`${receiver.baseUrl}/hook`] }],
    });
  });
  /** Servers and event streams a test opened; closed here even when a test timed out. */
  const extraMocks: SecPaidMockServer[] = [];
  const streams: IncomingMessage[] = [];
  afterAll(async () => {
    for (const stream of streams) stream.destroy();
    for (const extra of extraMocks) await extra.stop();
    await mock.stop();
    await receiver.close();
  });
  beforeEach(() => {
    mock.reset();
    receiver.requests.length = 0;
  });

  it('serves the page with a nonce-only CSP, the masked key and the full key only to copy', async () => {
    const page = await send(mock.dashboardUrl);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy'] ?? '');
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Every script on the page carries the nonce; nothing else would run.
    expect(page.body.match(/<script/g)).toHaveLength(1);
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    const masked = `${KEY.slice(0, 4)}••••••••${KEY.slice(-4)}`;
    expect(page.body).toContain(`<code class="key">${masked}</code>`);
    expect(page.body.split(KEY)).toHaveLength(2); // once: the copy button's data attribute
    expect(page.body).toContain(`data-copy="${KEY}"`);
  });

  it('escapes every value: a note with markup shows as text', async () => {
    await createLink({ recipient_note: NOTE });
    for (const path of ['/dashboard', '/dashboard/content']) {
      const { body } = await send(`${mock.baseUrl}${path}`);
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &#39;quotes&#39;',
      );
    }
  });

  it('answers only to Host names that are addresses or localhost (no DNS rebinding)', async () => {
    const port = new URL(mock.baseUrl).port;
    const withHost = (host: string) => send(mock.dashboardUrl, { headers: { host } });
    expect((await withHost(`evil.example:${port}`)).status).toBe(403);
    expect((await withHost(`127.0.0.1.nip.io:${port}`)).status).toBe(403);
    expect((await withHost(`localhost:${port}`)).status).toBe(200);
    expect((await withHost(`127.0.0.1:${port}`)).status).toBe(200);
    const events = await send(`${mock.baseUrl}/dashboard/content`, {
      headers: { host: 'evil.example' },
    });
    expect(events.status).toBe(403);
  });

  it('refuses actions that a page on another site could send', async () => {
    const id = await createLink();
    const form = await send(`${mock.baseUrl}/dashboard/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `action=pay&id=${id}`,
    });
    expect(form.status).toBe(403);
    const foreign = await act({ action: 'pay', id }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const crossSite = await act({ action: 'pay', id }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(mock.links[0].status).toBe('Unused');
    expect(receiver.requests).toHaveLength(0);
  });

  it('pays, fails, cancels, resends and injects faults; refuses bad input with 400 and conflicts with 409', async () => {
    const paid = await createLink();
    const pay = await act({ action: 'pay', id: paid }, { origin: mock.baseUrl });
    expect(pay.status).toBe(200);
    expect(JSON.parse(pay.body)).toEqual({ ok: true, message: `Link ${paid} paid.` });
    expect(mock.links[0].status).toBe('Used');
    expect((await act({ action: 'pay', id: paid })).status).toBe(409);

    const resent = await act({ action: 'resend', id: 1 });
    expect(JSON.parse(resent.body)).toMatchObject({ ok: true });
    expect(receiver.requests.map((r) => r.body)).toEqual([
      receiver.requests[0].body,
      receiver.requests[0].body,
    ]);
    const moved = await act({ action: 'resend-to', id: 1, value: `${receiver.baseUrl}/other` });
    expect(moved.status).toBe(200);
    expect(receiver.requests[2].url).toBe('/other');
    expect((await act({ action: 'resend-to', id: 1, value: 'file:///etc/passwd' })).status).toBe(
      400,
    );

    mock.reset();
    const later = await createLink();
    expect((await act({ action: 'pay-later', id: later, value: '60000' })).status).toBe(200);
    expect(mock.payIns[0].visibleAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);

    const failed = await createLink();
    expect((await act({ action: 'fail', id: failed })).status).toBe(200);
    expect(mock.webhookDeliveries.at(-1)).toMatchObject({ event: 'failed', payId: failed });
    expect((await act({ action: 'cancel', id: failed })).status).toBe(200);
    expect(mock.links.find((l) => l.id === failed)?.status).toBe('Cancelled');

    const fault = await act({ action: 'fault', endpoint: 'createLink', status: 503, times: 2 });
    expect(fault.status).toBe(200);
    expect(mock.pendingFaults).toBe(2);
    for (const bad of [
      { action: 'fault', endpoint: 'nope', status: 503, times: 1 },
      { action: 'fault', endpoint: '', status: 200, times: 1 },
      { action: 'fault', endpoint: '', status: 500, times: 0 },
      { action: 'pay', id: -1 },
      { action: 'pay', id: '1' },
      { action: 'pay-later', id: 1, value: 'soon' },
      { action: 'explode', id: 1 },
    ]) {
      expect([bad, (await act(bad)).status]).toEqual([bad, 400]);
    }
    const notJson = await send(`${mock.baseUrl}/dashboard/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1]',
    });
    expect(notJson.status).toBe(400);
  });

  it('is not logged, faulted or rate limited: the API keeps its budget and its log', async () => {
    mock.injectFault({ status: 500 });
    for (let i = 0; i < 10; i++) {
      expect((await send(mock.dashboardUrl)).status).toBe(200);
      expect((await send(`${mock.baseUrl}/dashboard/content`)).status).toBe(200);
    }
    expect(mock.requests).toEqual([]);
    expect(mock.pendingFaults).toBe(1);
    mock.reset();
    expect((await callApi(mock.baseUrl, 'getMyUnusedLinks', {}, KEY)).status).toBe(200);
    expect((await callApi(mock.baseUrl, 'getMyUnusedLinks', {}, KEY)).status).toBe(200);
    expect((await callApi(mock.baseUrl, 'getMyUnusedLinks', {}, KEY)).status).toBe(429);
    expect(mock.requests).toHaveLength(3);
  });

  it('shows at most 50 rows per table, newest first, and says how many there are', async () => {
    const unlimited = await SecPaidMockServer.start({ rateLimit: false, accounts: [{}] });
    extraMocks.push(unlimited);
    const key = unlimited.accounts[0].apiKey;
    for (let i = 1; i <= 60; i++) {
      await callApi(unlimited.baseUrl, 'createLink', { amount: i }, key);
    }
    const { body } = await send(`${unlimited.baseUrl}/dashboard/content`);
    expect(body).toContain('Links (newest 50 of 60)');
    expect(body.match(/<tr data-link=/g)).toHaveLength(50);
    expect(body.indexOf('data-link="100060"')).toBeLessThan(body.indexOf('data-link="100059"'));
    expect(body).not.toContain('data-link="100010"');
  });

  it('streams a change event after an API write, caps open streams, and ends them on stop()', async () => {
    const own = await SecPaidMockServer.start({ rateLimit: false, accounts: [{}] });
    extraMocks.push(own);
    const open = () =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(`${own.baseUrl}/dashboard/events`);
        req.on('error', reject);
        req.on('response', resolve);
        req.end();
      });
    const first = await open();
    streams.push(first);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    let text = '';
    first.setEncoding('utf8');
    first.on('data', (chunk: string) => (text += chunk));
    await waitFor(() => text.includes('event: hello'));
    await callApi(own.baseUrl, 'createLink', { amount: 3 }, own.accounts[0].apiKey);
    await waitFor(() => text.includes('event: change'));
    expect(text.match(/event: change/g)).toHaveLength(1);

    for (let i = 1; i < 16; i++) streams.push(await open());
    const refused = await open();
    expect(refused.statusCode).toBe(503);
    refused.resume();
    const ended = new Promise<void>((resolve) => first.on('close', () => resolve()));
    await own.stop();
    await ended;
  });
});
