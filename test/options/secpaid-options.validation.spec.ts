import { describe, expect, it } from '@jest/globals';
import type { SecPaidModuleOptions } from '../../lib/index.js';
import { resolvedOptions, startupError } from '../support/module-options.boot.js';

const SECRET = 'secretKeyThatMustNotLeak42';
const valid: SecPaidModuleOptions = { apiKey: SECRET, environment: 'production' };

// The README's option table, bound by bound: each rule fails start-up with the documented class,
// names the field, and echoes neither the key nor the rejected value.
describe('SecPaidModule option validation (the documented bounds)', () => {
  it.each<[string, Record<string, unknown>, string, string | null]>([
    ['more than 10 retries', { maxRetries: 11 }, 'maxRetries', null],
    ['fractional retries', { maxRetries: 1.5 }, 'maxRetries', null],
    [
      'a webhook path with a route parameter',
      { webhooks: { path: 'hooks/:id' } },
      'webhooks.path',
      null,
    ],
    ['a webhook path with a wildcard', { webhooks: { path: 'hooks/*' } }, 'webhooks.path', null],
    ['a webhook path with a query', { webhooks: { path: 'hooks?x=1' } }, 'webhooks.path', null],
    ['a webhook path with a space', { webhooks: { path: 'my hooks' } }, 'webhooks.path', null],
    ['an empty webhook path', { webhooks: { path: '' } }, 'webhooks.path', null],
    [
      'confirmPayments as a string',
      { webhooks: { confirmPayments: 'false' } },
      'webhooks.confirmPayments',
      null,
    ],
    ['a negative health cacheTtlMs', { health: { cacheTtlMs: -1 } }, 'health.cacheTtlMs', null],
    [
      'a baseUrl with credentials',
      { baseUrl: 'https://user:hunter2pass@app.secpaid.com' },
      'baseUrl',
      'hunter2pass',
    ],
    ['a baseUrl with a query', { baseUrl: 'https://app.secpaid.com/?debug=1' }, 'baseUrl', null],
    ['a baseUrl with a hash', { baseUrl: 'https://app.secpaid.com/#top' }, 'baseUrl', null],
  ])('rejects %s, naming the field', async (_name, override, field, leak) => {
    const error = await startupError({ ...valid, ...override });
    expect(error.issues.map((issue) => issue.field)).toContain(field);
    expect(error.message).toContain(field);
    expect(error.message).not.toContain(SECRET);
    if (leak !== null) expect(error.message).not.toContain(leak);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['10 retries', { maxRetries: 10 }, { maxRetries: 10 }],
    [
      'a nested webhook path',
      { webhooks: { path: 'hooks/secpaid-4f9c2e' } },
      { webhooks: { path: 'hooks/secpaid-4f9c2e' } },
    ],
    [
      'confirmPayments false',
      { webhooks: { confirmPayments: false } },
      { webhooks: { confirmPayments: false } },
    ],
    ['a zero health cacheTtlMs', { health: { cacheTtlMs: 0 } }, { health: { cacheTtlMs: 0 } }],
  ])('accepts %s (the bound itself)', async (_name, override, expected) => {
    expect(await resolvedOptions({ ...valid, ...override })).toMatchObject(expected);
  });
});
