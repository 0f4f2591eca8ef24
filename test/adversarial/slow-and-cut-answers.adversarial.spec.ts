import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { SecPaidConnectionError, SecPaidModule, SecPaidTimeoutError } from '../../lib/index.js';
import { SecPaidHealthIndicator, SecPaidHealthModule } from '../../lib/health/index.js';
import { settledWithin } from '../support/settled-within.js';
import { waitFor } from '../support/wait-for.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import { mockOptions, post, startWebhookApp } from '../support/webhook-app.harness.js';
import { JSON_TYPE, nestedPayload } from '../support/webhook.fixtures.js';
import { createServiceHarness, devOptions, rejectionOf } from '../support/service-app.harness.js';

// Issue 15, defects 4 and 5: answers that arrive too slowly, or only in part.
const API_KEY = 'sk_test_slowAndCut';
const LINK = { id: 7, amount: 10, pay_link: 'https://pay.example/7', status: 'Unused' };
const ENVELOPE = JSON.stringify({ ResponseCode: 1, ResponseMsg: 'ok', Result: 'True', data: [] });

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** Headers, then one byte every `everyMs`: never idle for long, never finished. */
function drip(everyMs: number): void {
  server.respondWith((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
    const timer = setInterval(() => response.write(' '), everyMs);
    response.on('close', () => clearInterval(timer));
  });
}

/** A 200 announcing 500 bytes, cut off after a few and reset; answers normally after `cuts`. */
function cutOff(
  cuts: number,
  body = JSON.stringify({ ResponseCode: 1, Result: 'True', data: LINK }),
): void {
  let left = cuts;
  server.respondWith((_request, response) => {
    if (left-- <= 0) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
    response.write(body.slice(0, 20), () => response.socket?.resetAndDestroy());
  });
}

describe('defect 4: timeoutMs bounds the whole attempt, not the idle time', () => {
  it.each([
    ['without a signal of its own', undefined],
    ['with its own signal (the deadline still ends it; the signal is left untouched)', true],
  ])(
    'headers then 1 byte every 100 ms cannot keep createLink({...}, { timeoutMs: 400 }) pending, %s',
    async (_, withSignal) => {
      drip(100);
      const harness = await createServiceHarness(devOptions(API_KEY, server.baseUrl));
      const caller = withSignal ? new AbortController() : undefined;
      const options = { timeoutMs: 400, signal: caller?.signal };
      // 400 ms deadline; 10 s before the guard calls it unbounded (the drip would last 10000 s).
      const error = await settledWithin(
        rejectionOf(harness.service.createLink({ amount: 10 }, options)),
        10_000,
      );
      expect(error).toBeInstanceOf(SecPaidTimeoutError);
      expect((error as SecPaidTimeoutError).requestMayHaveReachedServer).toBe(true);
      expect((error as SecPaidTimeoutError).timeoutMs).toBe(400);
      expect((error as Error).message).toContain('within 400 ms');
      expect(caller?.signal.aborted).not.toBe(true);
      expect(server.requests).toHaveLength(1);
      await harness.close();
    },
  );

  it("a raw HttpService call with a timeout the deadline does not take (a string) keeps axios' own timeout", async () => {
    server.respondWith(() => undefined); // never answers
    const harness = await createServiceHarness(devOptions(API_KEY, server.baseUrl));
    const raw = harness.http.axiosRef.post(
      '/api/v2/getMyUnusedLinks',
      {},
      {
        timeout: '300' as unknown as number,
      },
    );
    const error = await settledWithin(rejectionOf(raw), 10_000);
    expect(error).toBeInstanceOf(SecPaidTimeoutError);
    expect((error as SecPaidTimeoutError).timeoutMs).toBe(300);
    await harness.close();
  });

  it('a call with its own signal aborted while the answer drips: ABORT_ERR at once, not a timeout', async () => {
    drip(100);
    const harness = await createServiceHarness(devOptions(API_KEY, server.baseUrl));
    const caller = new AbortController();
    const pending = rejectionOf(
      harness.service.createLink({ amount: 10 }, { timeoutMs: 60_000, signal: caller.signal }),
    );
    await waitFor(() => server.requests.length === 1);
    caller.abort();
    const error = await settledWithin(pending, 10_000);
    expect(error).toBeInstanceOf(SecPaidConnectionError);
    expect(error).not.toBeInstanceOf(SecPaidTimeoutError);
    expect((error as SecPaidConnectionError).code).toBe('ABORT_ERR');
    await harness.close();
  });

  it('the module timeoutMs is a deadline too (reads: every attempt bounded, then retried)', async () => {
    drip(100);
    const harness = await createServiceHarness(
      // Roomy enough for a loaded machine to deliver each attempt's request before its deadline.
      devOptions(API_KEY, server.baseUrl, { timeoutMs: 1500, maxRetries: 1 }),
    );
    const error = await settledWithin(rejectionOf(harness.service.getMyUnusedLinks()), 10_000);
    expect(error).toBeInstanceOf(SecPaidTimeoutError);
    expect(server.requests).toHaveLength(2);
    await harness.close();
  });
});

describe('defect 4: webhook confirmations are bounded too', () => {
  it('a payment.succeeded whose confirming lookup trickles is answered 500, not left pending', async () => {
    drip(100);
    const webhookApp = await startWebhookApp(
      SecPaidModule.forRoot({
        ...mockOptions(server.baseUrl, API_KEY, { confirmPayments: true }),
        timeoutMs: 400,
      }),
    );
    try {
      const answer = await settledWithin(
        post(`${webhookApp.origin}/secpaid/webhook`, JSON.stringify(nestedPayload()), JSON_TYPE),
        15_000,
      );
      expect(answer.status).toBe(500);
      expect(webhookApp.handler.events).toHaveLength(0);
    } finally {
      await webhookApp.close();
    }
  });
});

describe('defect 5: a 200 cut off mid-body is a connection failure that may have reached SecPaid', () => {
  it('createLink: SecPaidConnectionError, requestMayHaveReachedServer, not retried', async () => {
    cutOff(1);
    const harness = await createServiceHarness(devOptions(API_KEY, server.baseUrl));
    const error = await rejectionOf(harness.service.createLink({ amount: 10 }));
    expect(error).toBeInstanceOf(SecPaidConnectionError);
    expect((error as SecPaidConnectionError).requestMayHaveReachedServer).toBe(true);
    expect(error).not.toHaveProperty('httpStatus');
    expect(server.requests).toHaveLength(1);
    await harness.close();
  });

  it('a read is retried and succeeds', async () => {
    cutOff(1, ENVELOPE);
    const harness = await createServiceHarness(devOptions(API_KEY, server.baseUrl));
    await expect(harness.service.getMyUnusedLinks()).resolves.toEqual([]);
    expect(server.requests).toHaveLength(2);
    await harness.close();
  });

  it('the readiness probe says unreachable, not unexpected_response', async () => {
    cutOff(100, ENVELOPE);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TerminusModule,
        SecPaidModule.forRoot(devOptions(API_KEY, server.baseUrl)),
        SecPaidHealthModule,
      ],
    }).compile();
    await moduleRef.init();
    const result = await moduleRef.get(SecPaidHealthIndicator).isHealthy('secpaid');
    expect(result['secpaid']).toMatchObject({ status: 'down', reason: 'unreachable' });
    await moduleRef.close();
  });
});
