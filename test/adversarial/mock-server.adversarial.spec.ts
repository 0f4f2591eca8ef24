import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { runMockCli } from '../../lib/testing/cli/cli.runner.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  answerStatus,
  startRecordingServer,
  type RecordingServer,
} from '../support/loopback-server.js';

// Issue 15, defect 8: the mock can be polluted and exhausted.
let mock: SecPaidMockServer;
let receiver: RecordingServer;
const ENCRYPTION_KEY = 'MockEncryptionKeyOf32Characters!';

beforeAll(async () => {
  receiver = await startRecordingServer(answerStatus(200));
  mock = await SecPaidMockServer.start({
    rateLimit: false,
    accounts: [{ paymentEndpoints: [receiver.baseUrl], encryptionKey: ENCRYPTION_KEY }],
  });
});
afterAll(async () => {
  await mock.stop();
  await receiver.close();
});
afterEach(() => {
  delete (Object.prototype as Record<string, unknown>)['polluted'];
  delete (Array.prototype as unknown as Record<string, unknown>)['polluted'];
});

async function post(path: string, body: string | Buffer, contentType: string): Promise<Response> {
  return fetch(`${mock.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, token: mock.accounts[0]!.apiKey },
    body,
  });
}

describe('no prototype pollution through a request body', () => {
  it.each([
    ['form', '__proto__[polluted]=yes', 'application/x-www-form-urlencoded'],
    ['form, array path', 'a[]=1&a[__proto__][polluted]=yes', 'application/x-www-form-urlencoded'],
    [
      'form, constructor path',
      'constructor[prototype][polluted]=yes',
      'application/x-www-form-urlencoded',
    ],
    ['JSON', '{"__proto__":{"polluted":"yes"}}', 'application/json'],
  ])('%s: %s', async (_, body, contentType) => {
    for (const path of ['/api/v2/createLink', '/payment', '/anything']) {
      await (await post(path, body, contentType)).text();
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('bounds nesting depth and key count (400 envelope, server still answering)', async () => {
    const deep = `${'a'}${'[x]'.repeat(50)}=1`;
    const many = Array.from({ length: 5000 }, (_, i) => `k${i}=1`).join('&');
    for (const body of [deep, many]) {
      const response = await post('/api/v2/createLink', body, 'application/x-www-form-urlencoded');
      expect(response.status).toBe(400);
      await response.text();
    }
  });
});

describe('bounded request log and body size', () => {
  it('a body over the limit is answered 413 and not kept', async () => {
    mock.reset();
    const response = await post(
      '/api/v2/createLink',
      Buffer.alloc(2 * 1024 * 1024, 'a'),
      'text/plain',
    );
    expect(response.status).toBe(413);
    await response.text();
    expect(mock.requests.every((request) => request.body === undefined)).toBe(true);
  });

  it('keeps at most 1000 entries by default; the oldest dropped first', async () => {
    mock.reset();
    const log = await SecPaidMockServer.start({ rateLimit: false, requestLog: { maxEntries: 20 } });
    try {
      for (let i = 0; i < 30; i++) {
        await (
          await fetch(`${log.baseUrl}/anything`, {
            method: 'POST',
            body: `{"i":${i}}`,
            headers: { 'content-type': 'application/json' },
          })
        ).text();
      }
      expect(log.requests.map((request) => (request.body as { i: number }).i)).toEqual(
        Array.from({ length: 20 }, (_, k) => k + 10),
      );
    } finally {
      await log.stop();
    }
    // The default (1000) holds on the shared mock: a few requests are all kept.
    for (let i = 0; i < 5; i++) await (await post('/anything', '{}', 'application/json')).text();
    expect(mock.requests).toHaveLength(5);
  });

  it('keeps at most 16 MiB of bodies by default (here 100 KiB: oldest dropped first)', async () => {
    const log = await SecPaidMockServer.start({
      rateLimit: false,
      requestLog: { maxBodyBytes: 100 * 1024 },
    });
    try {
      const big = JSON.stringify({ note: 'x'.repeat(30 * 1024) });
      for (let i = 0; i < 10; i++) {
        await (
          await fetch(`${log.baseUrl}/anything`, {
            method: 'POST',
            body: big,
            headers: { 'content-type': 'application/json' },
          })
        ).text();
      }
      expect(log.requests).toHaveLength(Math.floor((100 * 1024) / big.length));
    } finally {
      await log.stop();
    }
  });
});

describe('webhooks', () => {
  it("encrypted mode honours webhookFormat: 'form' (data=<base64>, form-encoded)", async () => {
    mock.reset();
    receiver.requests.length = 0;
    const apiKey = mock.accounts[0]!.apiKey;
    const created = await fetch(`${mock.baseUrl}/api/v2/createLink`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', token: apiKey },
      body: JSON.stringify({ amount: 12.5 }),
    });
    const linkId = ((await created.json()) as { data: { id: number } }).data.id;
    await mock.pay(linkId, { webhookFormat: 'form' });
    expect(receiver.requests).toHaveLength(1);
    const delivery = receiver.requests[0]!;
    expect(delivery.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const data = new URLSearchParams(delivery.body).get('data');
    expect(data).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('the CLI prints each webhook delivery and its outcome', async () => {
    const lines: string[] = [];
    const cli = await runMockCli(
      ['--port', '0', '--payment-endpoint', receiver.baseUrl, '--rate-limit', 'false'],
      (text) => lines.push(text),
    );
    try {
      const apiKey = cli!.accounts[0]!.apiKey;
      const created = await fetch(`${cli!.baseUrl}/api/v2/createLink`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', token: apiKey },
        body: JSON.stringify({ amount: 3 }),
      });
      const linkId = ((await created.json()) as { data: { id: number } }).data.id;
      await cli!.pay(linkId);
      const printed = lines.join('\n');
      expect(printed).toContain(`pay_id=${linkId}`);
      expect(printed).toContain(receiver.baseUrl);
      expect(printed).toContain('HTTP 200');
    } finally {
      await cli!.stop();
    }
  });
});
