import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import { callApi } from '../../support/mock-api.client.js';

const KEY = 'faultKey0123456789abcdefghijklmn';
const OTHER = 'otherKey0123456789abcdefghijklmn';

function post(baseUrl: string, endpoint: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${baseUrl}/api/v2/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', token: KEY },
    body: '{}',
    signal,
  });
}

describe('SecPaidMockServer fault injection', () => {
  let mock: SecPaidMockServer;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ accounts: [{ apiKey: KEY }], rateLimit: false });
  });
  afterAll(async () => {
    await mock.stop();
  });
  beforeEach(() => mock.reset());

  it('answers an error status with an envelope, `times` times, only for the named endpoint', async () => {
    mock.injectFault({ endpoint: 'getMyUnusedLinks', status: 502, times: 2 });
    expect((await post(mock.baseUrl, 'getTaxInvoiceList')).status).toBe(200);
    const first = await post(mock.baseUrl, 'getMyUnusedLinks');
    expect(first.status).toBe(502);
    expect(await first.json()).toMatchObject({ ResponseCode: 0, Result: 'False' });
    expect((await post(mock.baseUrl, 'getMyUnusedLinks')).status).toBe(502);
    expect((await post(mock.baseUrl, 'getMyUnusedLinks')).status).toBe(200);
    expect(mock.pendingFaults).toBe(0);
  });

  it('serves an HTML body (e.g. a gateway error page)', async () => {
    mock.injectFault({ status: 503, body: '<html><body>Service Unavailable</body></html>' });
    const response = await post(mock.baseUrl, 'createLink');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('Service Unavailable');
  });

  it('serves malformed JSON with status 200', async () => {
    mock.injectFault({ body: '{"ResponseCode":1,"data":' });
    const response = await post(mock.baseUrl, 'getPayInTransactions');
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('serves an object body as JSON with extra headers', async () => {
    mock.injectFault({
      status: 429,
      body: { ResponseCode: 0, ResponseMsg: 'Slow down', Result: 'False' },
      headers: { 'Retry-After': '7' },
    });
    const response = await post(mock.baseUrl, 'getPayInTransactions');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({
      ResponseCode: 0,
      ResponseMsg: 'Slow down',
      Result: 'False',
    });
  });

  it('delays, then answers normally (a slow answer)', async () => {
    mock.injectFault({ endpoint: 'getTaxInvoiceList', delayMs: 50 });
    const response = await post(mock.baseUrl, 'getTaxInvoiceList');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ResponseCode: 1 });
  });

  it('resets the connection', async () => {
    mock.injectFault({ drop: 'reset' });
    await expect(post(mock.baseUrl, 'createLink')).rejects.toThrow();
    expect(mock.links).toHaveLength(0);
    expect((await post(mock.baseUrl, 'getMyUnusedLinks')).status).toBe(200);
  });

  it('hangs until the client gives up', async () => {
    mock.injectFault({ drop: 'hang' });
    const controller = new AbortController();
    const pending = post(mock.baseUrl, 'getMyUnusedLinks', controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow();
  });

  it('stop() releases hung and delayed requests', async () => {
    const other = await SecPaidMockServer.start({ accounts: [{ apiKey: KEY }] });
    other.injectFault({ endpoint: 'createLink', drop: 'hang' });
    other.injectFault({ endpoint: 'getMyUnusedLinks', delayMs: 60_000 });
    const settle = (p: Promise<Response>) =>
      p.then(
        () => 'answered',
        () => 'failed',
      );
    const hung = settle(post(other.baseUrl, 'createLink'));
    const delayed = settle(post(other.baseUrl, 'getMyUnusedLinks'));
    while (other.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await other.stop();
    expect(await hung).toBe('failed');
    expect(await delayed).toBe('failed');
  });

  it('records faulted requests too', async () => {
    mock.injectFault({ status: 500 });
    await callApi(mock.baseUrl, 'createLink', { amount: 3 }, KEY);
    expect(mock.requests).toEqual([
      expect.objectContaining({ path: '/api/v2/createLink', body: { amount: 3 } }),
    ]);
  });

  it('validates `times`', () => {
    expect(() => mock.injectFault({ times: 0 })).toThrow(/times/);
  });
});

describe('SecPaidMockServer rate limit', () => {
  it('answers 429 with Retry-After and an envelope past requestsPerMinute, per key', async () => {
    const mock = await SecPaidMockServer.start({
      accounts: [{ apiKey: KEY }, { apiKey: OTHER }],
      rateLimit: { requestsPerMinute: 3 },
    });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await callApi(mock.baseUrl, 'getTaxInvoiceList', {}, KEY)).status).toBe(200);
      }
      const limited = await callApi(mock.baseUrl, 'getTaxInvoiceList', {}, KEY);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.json).toMatchObject({
        ResponseCode: 0,
        Result: 'False',
        ResponseMsg: 'Too Many Requests',
      });
      expect((await callApi(mock.baseUrl, 'getTaxInvoiceList', {}, OTHER)).status).toBe(200);
      mock.reset();
      expect((await callApi(mock.baseUrl, 'getTaxInvoiceList', {}, KEY)).status).toBe(200);
    } finally {
      await mock.stop();
    }
  });

  it('defaults to 60 requests per minute', async () => {
    const mock = await SecPaidMockServer.start({ accounts: [{ apiKey: KEY }] });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 61; i++)
        statuses.push((await callApi(mock.baseUrl, 'getMyUnusedLinks', {}, KEY)).status);
      expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
      expect(statuses[60]).toBe(429);
    } finally {
      await mock.stop();
    }
  });

  it('can be disabled with rateLimit: false', async () => {
    const mock = await SecPaidMockServer.start({ accounts: [{ apiKey: KEY }], rateLimit: false });
    try {
      for (let i = 0; i < 65; i++) {
        expect((await callApi(mock.baseUrl, 'getMyUnusedLinks', {}, KEY)).status).toBe(200);
      }
    } finally {
      await mock.stop();
    }
  });
});
