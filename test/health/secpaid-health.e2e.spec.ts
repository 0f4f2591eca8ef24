import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { TerminusModule } from '@nestjs/terminus';
import {
  SecPaidConfigurationError,
  SecPaidModule,
  type SecPaidModuleOptions,
} from '../../lib/index.js';
import { SecPaidHealthIndicator, SecPaidHealthModule } from '../../lib/health/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { unusedPort } from '../support/loopback-server.js';
import { HealthController, startHealthApp } from '../support/health-app.js';
import { bootstrapTestApp, type TestApp } from '../support/test-app.builder.js';

interface Probe {
  status: number;
  body: {
    status: string;
    info?: Record<string, Record<string, unknown>>;
    error?: Record<string, Record<string, unknown>>;
  };
  text: string;
}

const apps: TestApp[] = [];

async function startApp(options: SecPaidModuleOptions): Promise<string> {
  const app = await startHealthApp(options);
  apps.push(app);
  return `${app.origin}/health/ready`;
}

async function probe(url: string): Promise<Probe> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Probe['body'], text };
}

function upstreamChecks(mock: SecPaidMockServer): number {
  return mock.requests.filter((r) => r.path.startsWith('/api/v2/')).length;
}

describe('SecPaidHealthIndicator readiness probe', () => {
  let dev: SecPaidMockServer;
  let prod: SecPaidMockServer;
  let devKey: string;

  beforeAll(async () => {
    dev = await SecPaidMockServer.start({ environment: 'development', rateLimit: false });
    prod = await SecPaidMockServer.start({ environment: 'production', rateLimit: false });
    devKey = dev.accounts[0]!.apiKey;
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    dev.reset();
  });
  afterAll(async () => {
    await dev.stop();
    await prod.stop();
  });

  const options = (override: Partial<SecPaidModuleOptions> = {}): SecPaidModuleOptions => ({
    apiKey: devKey,
    environment: 'development',
    baseUrl: dev.baseUrl,
    rateLimit: false,
    ...override,
  });

  it('is up (200) with environment, latency and check time for a valid key', async () => {
    const url = await startApp(options());
    const result = await probe(url);
    expect(result.status).toBe(200);
    expect(result.body.status).toBe('ok');
    expect(result.body.info?.['secpaid']).toEqual({
      status: 'up',
      environment: 'development',
      latencyMs: expect.any(Number),
      checkedAt: expect.any(String),
      cached: false,
    });
    expect(result.text).not.toContain(devKey);
  });

  it('serves probes within the TTL from the cache, with no upstream request', async () => {
    const url = await startApp(options({ health: { cacheTtlMs: 60_000 } }));
    await probe(url);
    const afterFirst = upstreamChecks(dev);
    expect(afterFirst).toBe(1);
    for (let i = 0; i < 5; i += 1) {
      const result = await probe(url);
      expect(result.body.info?.['secpaid']?.['cached']).toBe(true);
    }
    expect(upstreamChecks(dev)).toBe(afterFirst);
  });

  it('shares one upstream request among 100 concurrent probes', async () => {
    const url = await startApp(options());
    const results = await Promise.all(Array.from({ length: 100 }, () => probe(url)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(upstreamChecks(dev)).toBe(1);
  });

  it('is down (503) with invalid_api_key for an unknown key', async () => {
    const unknownKey = 'unknownKey0123456789unknownKey01';
    const url = await startApp(options({ apiKey: unknownKey }));
    const result = await probe(url);
    expect(result.status).toBe(503);
    expect(result.body.error?.['secpaid']).toEqual({
      status: 'down',
      environment: 'development',
      reason: 'invalid_api_key',
      message: expect.stringContaining('development'),
    });
    expect(result.text).not.toContain(unknownKey);
  });

  it('is down with invalid_api_key for a development key against production', async () => {
    const url = await startApp(
      options({ environment: 'production', baseUrl: prod.baseUrl, apiKey: devKey }),
    );
    const result = await probe(url);
    expect(result.status).toBe(503);
    expect(result.body.error?.['secpaid']?.['reason']).toBe('invalid_api_key');
    expect(result.body.error?.['secpaid']?.['environment']).toBe('production');
    expect(result.text).not.toContain(devKey);
  });

  it('is down with timeout when SecPaid hangs, bounded by health.timeoutMs', async () => {
    dev.injectFault({ endpoint: 'getTaxInvoiceList', drop: 'hang' });
    // The hung request would never end on its own: an answer at all proves the bound.
    const url = await startApp(options({ health: { timeoutMs: 300 }, timeoutMs: 60_000 }));
    const result = await probe(url);
    expect(result.status).toBe(503);
    expect(result.body.error?.['secpaid']?.['reason']).toBe('timeout');
  });

  it('is down with unreachable when nothing listens', async () => {
    const url = await startApp(options({ baseUrl: `http://127.0.0.1:${await unusedPort()}` }));
    const result = await probe(url);
    expect(result.status).toBe(503);
    expect(result.body.error?.['secpaid']?.['reason']).toBe('unreachable');
  });

  it.each([
    [500, 'server_error'],
    [503, 'server_error'],
  ])('is down with server_error on HTTP %i', async (status, reason) => {
    dev.injectFault({ endpoint: 'getTaxInvoiceList', status, body: '<h1>oops</h1>' });
    const url = await startApp(options());
    const result = await probe(url);
    expect(result.status).toBe(503);
    expect(result.body.error?.['secpaid']?.['reason']).toBe(reason);
  });

  it('is down with unexpected_response for an HTML 200', async () => {
    dev.injectFault({
      endpoint: 'getTaxInvoiceList',
      status: 200,
      body: '<html>maintenance</html>',
    });
    const url = await startApp(options());
    const result = await probe(url);
    expect(result.body.error?.['secpaid']?.['reason']).toBe('unexpected_response');
  });

  it('is down with rate_limited on a 429 when no success is known', async () => {
    dev.injectFault({
      endpoint: 'getTaxInvoiceList',
      status: 429,
      headers: { 'Retry-After': '1' },
    });
    const url = await startApp(options());
    const result = await probe(url);
    expect(result.status).toBe(503);
    expect(result.body.error?.['secpaid']?.['reason']).toBe('rate_limited');
  });

  it('keeps reporting the recent success on a 429 instead of flapping', async () => {
    const url = await startApp(options({ health: { cacheTtlMs: 0 } }));
    expect((await probe(url)).status).toBe(200);
    dev.injectFault({
      endpoint: 'getTaxInvoiceList',
      status: 429,
      headers: { 'Retry-After': '5' },
    });
    const during = await probe(url);
    expect(during.status).toBe(200);
    expect(during.body.info?.['secpaid']?.['cached']).toBe(true);
    expect(upstreamChecks(dev)).toBe(2);
  });
});

describe('SecPaidHealthModule wiring and start-up validation', () => {
  let mock: SecPaidMockServer;
  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
  });
  afterAll(() => mock.stop());

  it('fails start-up with a clear message when SecPaidModule is missing', async () => {
    const app = await bootstrapTestApp(TerminusModule, SecPaidHealthModule)
      .withControllers(HealthController)
      .create();
    await expect(app.init()).rejects.toThrow(/SecPaidHealthModule needs SecPaidModule/);
    await app.close();
  });

  it('finds SecPaidService in a global SecPaidModule registered elsewhere', async () => {
    const app = await bootstrapTestApp(
      TerminusModule,
      SecPaidModule.forRootAsync({
        isGlobal: true,
        useFactory: () => mock.moduleOptions(),
      }),
      SecPaidHealthModule,
    ).init();
    const result = await app.get(SecPaidHealthIndicator).isHealthy('payments');
    expect(result).toMatchObject({ payments: { status: 'up', environment: 'development' } });
    await app.close();
  });

  it('validateApiKeyOnStartup fails start-up naming the environment when the key is rejected', async () => {
    const app = await bootstrapTestApp(
      SecPaidModule.forRoot({
        apiKey: 'rejectedKeyForStartupCheck000000',
        environment: 'development',
        baseUrl: mock.baseUrl,
        validateApiKeyOnStartup: true,
      }),
    ).create();
    const error = await app.init().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(SecPaidConfigurationError);
    expect(error?.message).toMatch(/development/);
    expect(error?.message).toMatch(/API key/);
    expect(error?.message).not.toContain('rejectedKeyForStartupCheck000000');
    await app.close();
  });

  it('validateApiKeyOnStartup lets a valid key start', async () => {
    mock.reset();
    const app = await bootstrapTestApp(
      SecPaidModule.forRoot(mock.moduleOptions({ validateApiKeyOnStartup: true })),
    ).init();
    // Started, and only after asking SecPaid: exactly one verification call carried the key.
    const verifications = mock.requests.filter((r) => r.path.startsWith('/api/v2/'));
    expect(verifications).toHaveLength(1);
    expect(verifications[0]!.headers['token']).toBe(mock.accounts[0]!.apiKey);
    await app.close();
  });
});
