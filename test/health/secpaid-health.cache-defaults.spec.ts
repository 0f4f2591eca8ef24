import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { hang, startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { startHealthApp as startApp } from '../support/health-app.js';
import type { TestApp } from '../support/test-app.builder.js';
import { waitFor } from '../support/wait-for.js';

async function probeStatus(app: TestApp): Promise<number> {
  return (await fetch(`${app.origin}/health/ready`)).status;
}

/**
 * README: the indicator "caches a success for `health.cacheTtlMs` (30 s) and a failure for at
 * most 5 s". The cache reads `Date.now()`, which this spec freezes and moves by hand before the
 * app starts: the TTLs are checked to the millisecond without waiting for them.
 */
describe('readiness cache with the default health settings', () => {
  let mock: SecPaidMockServer;
  let app: TestApp | undefined;
  let now = 0;
  const upstreamChecks = () => mock.requests.filter((r) => r.path.startsWith('/api/v2/')).length;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    jest.restoreAllMocks();
    mock.reset();
  });
  afterAll(() => mock.stop());

  const frozenClock = () => {
    now = 1_800_000_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  };

  it('a failure is reused for 5 s, not for the 30 s of cacheTtlMs', async () => {
    frozenClock();
    app = await startApp({
      apiKey: 'unknownKeyForTheFailureCache0001',
      environment: 'development',
      baseUrl: mock.baseUrl,
      rateLimit: false,
    });
    expect(await probeStatus(app)).toBe(503);
    expect(upstreamChecks()).toBe(1);
    now += 4_999;
    expect(await probeStatus(app)).toBe(503);
    expect(upstreamChecks()).toBe(1); // still the cached failure
    now += 2; // 5 001 ms after the check
    expect(await probeStatus(app)).toBe(503);
    expect(upstreamChecks()).toBe(2);
  });

  it('a success is reused for the default 30 s', async () => {
    frozenClock();
    app = await startApp({
      apiKey: mock.accounts[0]!.apiKey,
      environment: 'development',
      baseUrl: mock.baseUrl,
      rateLimit: false,
    });
    expect(await probeStatus(app)).toBe(200);
    now += 29_999;
    expect(await probeStatus(app)).toBe(200);
    expect(upstreamChecks()).toBe(1);
    now += 2;
    expect(await probeStatus(app)).toBe(200);
    expect(upstreamChecks()).toBe(2);
  });
});

describe('a readiness check that SecPaid never answers', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer(hang);
  });
  afterAll(() => server.close());

  it('answers down/timeout and really closes the hung request (the server sees the socket close)', async () => {
    // The module timeout is far away: only the indicator's own bound can end the request.
    const app = await startApp({
      apiKey: 'hungCheckKey0123456789abcdefghij',
      environment: 'development',
      baseUrl: server.baseUrl,
      rateLimit: false,
      timeoutMs: 600_000,
      health: { timeoutMs: 200 },
    });
    try {
      const answer = await fetch(`${app.origin}/health/ready`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ error: { secpaid: { reason: 'timeout' } } });
      expect(server.requests).toHaveLength(1);
      // No deadline of its own: if the request were left open, the test times out.
      await waitFor(() => server.abandoned.length === 1);
      expect(server.abandoned[0]!.url).toBe('/api/v2/getTaxInvoiceList');
    } finally {
      await app.close();
    }
  });
});
