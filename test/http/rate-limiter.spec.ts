import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import axios from 'axios';
import { SecPaidConnectionError } from '../../lib/index.js';
import { SecPaidRateLimiter, installRateLimiter } from '../../lib/http/rate-limiter.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { waitFor } from '../support/wait-for.js';

describe('SecPaidRateLimiter (sliding window)', () => {
  it('grants `limit` slots per window, then only as the oldest slot leaves the window', () => {
    const limiter = new SecPaidRateLimiter({ limit: 3, windowMs: 1000 });
    expect([0, 10, 20, 30].map((t) => limiter.tryAcquire(t))).toEqual([true, true, true, false]);
    expect(limiter.tryAcquire(999)).toBe(false);
    expect(limiter.tryAcquire(1000)).toBe(true); // the slot taken at 0 expired
    expect(limiter.tryAcquire(1005)).toBe(false); // the one at 10 has not
    expect(limiter.tryAcquire(1010)).toBe(true);
  });

  it('memory follows the traffic, not the limit (a huge requestsPerMinute is fine)', () => {
    const limiter = new SecPaidRateLimiter({ limit: 1e9 });
    for (let t = 0; t < 5000; t++) expect(limiter.tryAcquire(t)).toBe(true);
  });

  it('old send times are dropped as the window slides (long runs stay correct)', () => {
    const limiter = new SecPaidRateLimiter({ limit: 2, windowMs: 10 });
    let granted = 0;
    for (let t = 0; t < 10_000; t++) if (limiter.tryAcquire(t)) granted++;
    expect(granted).toBe(2000); // 2 per 10 ms over 10 s
  });

  it('a waiting caller that aborts leaves the queue without using a slot', async () => {
    const limiter = new SecPaidRateLimiter({ limit: 1, windowMs: 60_000 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal, 'getMyUsedLinks');
    expect(limiter.pending).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(SecPaidConnectionError);
    await expect(waiting).rejects.toMatchObject({ code: 'ABORT_ERR', endpoint: 'getMyUsedLinks' });
    expect(limiter.pending).toBe(0);
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({
      code: 'ABORT_ERR',
    });
  });
});

// With an exact 60 s window, the calls held back by a burst were released the
// moment the first call was 60 s old by our clock, and reached a server whose minute had started
// when that first call *arrived*, a few ms later: every one of them earned a 429.
describe('SecPaidRateLimiter default window', () => {
  it('is a minute plus a margin, so released calls land after the server minute ends', () => {
    const limiter = new SecPaidRateLimiter({ limit: 2 });
    expect(limiter.windowMs).toBeGreaterThan(60_000);
    expect(limiter.tryAcquire(0)).toBe(true);
    expect(limiter.tryAcquire(0)).toBe(true);
    expect(limiter.tryAcquire(60_000)).toBe(false); // SecPaid may still count the first two
    expect(limiter.tryAcquire(60_500)).toBe(false);
    expect(limiter.tryAcquire(61_000)).toBe(true);
  });

  it('an explicit windowMs is used as given', () => {
    const limiter = new SecPaidRateLimiter({ limit: 1, windowMs: 1000 });
    expect(limiter.windowMs).toBe(1000);
    expect(limiter.tryAcquire(0)).toBe(true);
    expect(limiter.tryAcquire(1000)).toBe(true);
  });
});

describe('installRateLimiter on an axios instance, against a loopback server', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.close());

  // No clock decides the outcome: the window (a minute) is far longer than the test, so exactly
  // `limit` requests may reach the server and the rest must wait in the limiter, unsent.
  it('holds a burst of 10 to 3 per window: 3 reach the server, 7 wait unsent until aborted', async () => {
    const instance = axios.create({ baseURL: server.baseUrl });
    const limiter = new SecPaidRateLimiter({ limit: 3, windowMs: 60_000 });
    installRateLimiter(instance, () => limiter);
    const controller = new AbortController();
    const calls = Array.from({ length: 10 }, (_, i) =>
      instance.post(`/api/v2/x?n=${i}`, {}, { signal: controller.signal }).then(
        (response) => response.status,
        (error: unknown) => error,
      ),
    );
    await waitFor(() => server.requests.length === 3 && limiter.pending === 7);
    expect(await Promise.all(calls.slice(0, 3))).toEqual([200, 200, 200]);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/api/v2/x?n=0',
      '/api/v2/x?n=1',
      '/api/v2/x?n=2',
    ]);
    controller.abort();
    const held = await Promise.all(calls.slice(3));
    for (const outcome of held) {
      expect(outcome).toBeInstanceOf(SecPaidConnectionError);
      expect(outcome).toMatchObject({ code: 'ABORT_ERR', endpoint: 'x' });
    }
    expect(limiter.pending).toBe(0);
    expect(server.requests).toHaveLength(3);
  });
});
