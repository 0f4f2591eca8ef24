import { describe, expect, it } from '@jest/globals';
import { SECPAID_BASE_URLS, type SecPaidModuleOptions } from '../../lib/index.js';
import { SecPaidSecret } from '../../lib/core/secret.value.js';
import { resolvedOptions as bootstrap, startupError } from '../support/module-options.boot.js';

const SECRET = 'secretKeyThatMustNotLeak42';
const valid: SecPaidModuleOptions = { apiKey: SECRET, environment: 'production' };

describe('SecPaidModule options', () => {
  it('applies the documented defaults', async () => {
    const resolved = await bootstrap(valid);
    // The key is held as a secret: there to reveal, never printed (test/core/secret.value.spec.ts).
    expect(resolved.apiKeySource).toBeInstanceOf(SecPaidSecret);
    expect((resolved.apiKeySource as SecPaidSecret).reveal()).toBe(SECRET);
    expect(resolved).toEqual({
      apiKeySource: expect.any(SecPaidSecret),
      apiKeyRefreshMs: 0,
      environment: 'production',
      baseUrl: SECPAID_BASE_URLS.production,
      timeoutMs: 10000,
      maxRetries: 2,
      rateLimit: { requestsPerMinute: 60, maxQueue: 1000 },
      validateApiKeyOnStartup: false,
      health: { cacheTtlMs: 30000, timeoutMs: 3000 },
      webhooks: false,
      redis: false,
    });
  });

  it('picks the development origin and fills webhook defaults', async () => {
    const resolved = await bootstrap({
      apiKey: 'k',
      environment: 'development',
      webhooks: {},
      health: { timeoutMs: 1000 },
      rateLimit: false,
    });
    expect(resolved.baseUrl).toBe('https://app.dev.secpaid.com');
    expect(resolved.webhooks).toEqual({
      path: 'secpaid/webhook',
      confirmPayments: true,
      confirmCallsPerMinute: 12,
      pendingPeriodMs: 30 * 60_000,
      maxPending: 10_000,
    });
    expect(resolved.health).toEqual({ cacheTtlMs: 30000, timeoutMs: 1000 });
    expect(resolved.rateLimit).toBe(false);
  });

  it('takes a key provider as apiKey, read again every 5 minutes unless apiKeyRefreshMs says otherwise', async () => {
    const provider = (): string => SECRET;
    const resolved = await bootstrap({ ...valid, apiKey: provider });
    expect(resolved.apiKeySource).toBe(provider);
    expect(resolved.apiKeyRefreshMs).toBe(300_000);
    for (const apiKeyRefreshMs of [0, 1_000]) {
      const tuned = await bootstrap({ ...valid, apiKey: provider, apiKeyRefreshMs });
      expect(tuned.apiKeyRefreshMs).toBe(apiKeyRefreshMs);
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['beside a string key', { apiKeyRefreshMs: 1000 }, 'applies only when apiKey is a function'],
    ['negative', { apiKey: () => SECRET, apiKeyRefreshMs: -1 }, 'must be 0 or a whole number'],
    ['fractional', { apiKey: () => SECRET, apiKeyRefreshMs: 1.5 }, 'must be 0 or a whole number'],
    ['above the timer limit', { apiKey: () => SECRET, apiKeyRefreshMs: 2 ** 31 }, 'must be 0'],
  ])('rejects apiKeyRefreshMs %s', async (_, override, says) => {
    const error = await startupError({ ...valid, ...override } as SecPaidModuleOptions);
    expect(error.message).toContain(`apiKeyRefreshMs ${says}`);
  });

  it('accepts http for loopback base URLs and strips a trailing slash', async () => {
    for (const baseUrl of ['http://127.0.0.1:4010/', 'http://localhost:1', 'http://[::1]:9']) {
      const resolved = await bootstrap({ ...valid, baseUrl });
      expect(resolved.baseUrl).toBe(baseUrl.replace(/\/$/, ''));
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty key', { apiKey: '' }, 'apiKey'],
    ['a missing key', { apiKey: undefined }, 'apiKey'],
    ['a key with a space', { apiKey: `${SECRET} x` }, 'apiKey'],
    ['a key with CR/LF', { apiKey: `${SECRET}\r\nX-Injected: 1` }, 'apiKey'],
    ['a key with a tab', { apiKey: `${SECRET}\t` }, 'apiKey'],
    ['an unknown environment', { environment: 'staging' }, 'environment'],
    ['a missing environment', { environment: undefined }, 'environment'],
    ['an http baseUrl on a public host', { baseUrl: 'http://app.secpaid.com' }, 'baseUrl'],
    ['a baseUrl that is not a URL', { baseUrl: 'app.secpaid.com' }, 'baseUrl'],
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs'],
    ['a negative timeout', { timeoutMs: -5 }, 'timeoutMs'],
    ['a fractional timeout', { timeoutMs: 1.5 }, 'timeoutMs'],
    ['negative retries', { maxRetries: -1 }, 'maxRetries'],
    [
      'a rate limit of zero',
      { rateLimit: { requestsPerMinute: 0 } },
      'rateLimit.requestsPerMinute',
    ],
    ['a rate limit of true', { rateLimit: true }, 'rateLimit'],
    ['a non-boolean startup check', { validateApiKeyOnStartup: 'yes' }, 'validateApiKeyOnStartup'],
    ['a zero health timeout', { health: { timeoutMs: 0 } }, 'health.timeoutMs'],
    ['a short encryption key', { webhooks: { encryptionKey: 'short' } }, 'webhooks.encryptionKey'],
    ['a dedupe store without methods', { webhooks: { dedupeStore: {} } }, 'webhooks.dedupeStore'],
    [
      'a confirmation budget over 60',
      { webhooks: { confirmCallsPerMinute: 61 } },
      'webhooks.confirmCallsPerMinute',
    ],
    ['a zero pending period', { webhooks: { pendingPeriodMs: 0 } }, 'webhooks.pendingPeriodMs'],
    ['a zero pending bound', { webhooks: { maxPending: 0 } }, 'webhooks.maxPending'],
    [
      'a pending store without methods',
      { webhooks: { pendingStore: {} } },
      'webhooks.pendingStore',
    ],
  ])('rejects %s at start-up, naming the field', async (_, override, field) => {
    const error = await startupError({ ...valid, ...override });
    expect(error.issues.map((i) => i.field)).toContain(field);
    expect(error.message).toContain(field);
    expect(error.message).not.toContain(SECRET);
  });

  it('names every bad field in one message', async () => {
    const error = await startupError({
      apiKey: 'bad key',
      environment: 'prod',
      timeoutMs: 0,
      baseUrl: 'http://example.com',
    });
    expect(error.issues.map((i) => i.field).sort()).toEqual(
      ['apiKey', 'baseUrl', 'environment', 'timeoutMs'].sort(),
    );
    expect(error.message).toMatch(/apiKey.*environment|environment.*apiKey/);
  });
});
