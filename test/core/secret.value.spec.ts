import { describe, expect, it } from '@jest/globals';
import { format, inspect } from 'node:util';
import { REDACTED, SecPaidSecret, isSecPaidSecret } from '../../lib/core/secret.value.js';

const VALUE = 'sk_live_never_printed_42';

/** Every way a value is commonly turned into text or copied. */
function printedForms(holder: object): string[] {
  return [
    inspect(holder),
    inspect(holder, { depth: Infinity, showHidden: true, getters: true }),
    inspect({ nested: { deeper: [holder] } }, { depth: Infinity, showHidden: true }),
    JSON.stringify(holder),
    JSON.stringify({ nested: holder }),
    String(holder),
    `${holder as unknown as string}`,
    'key: ' + (holder as unknown as string),
    format('%s %o %O %j', holder, holder, holder, holder),
    JSON.stringify({ ...holder }),
    JSON.stringify(Object.entries(holder)),
    JSON.stringify(Object.getOwnPropertyNames(holder)),
    inspect(structuredClone(holder), { showHidden: true }),
  ];
}

describe('SecPaidSecret', () => {
  it('never shows its value in any printed, serialised, spread or cloned form', () => {
    const secret = SecPaidSecret.of(VALUE);
    for (const form of printedForms(secret)) {
      expect(form).not.toContain(VALUE);
      expect(form).not.toContain('never_printed');
    }
    expect(String(secret)).toBe(REDACTED);
    expect(JSON.stringify({ apiKey: secret })).toBe(`{"apiKey":"${REDACTED}"}`);
    expect(inspect({ apiKey: secret })).toBe(`{ apiKey: SecPaidSecret ${REDACTED} }`);
  });

  it('reveals the value, hashes it once with SHA-256, and compares by value', () => {
    const secret = SecPaidSecret.of(VALUE);
    expect(secret.reveal()).toBe(VALUE);
    expect(secret.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.hash).not.toContain(VALUE);
    expect(SecPaidSecret.of(VALUE).hash).toBe(secret.hash);
    expect(secret.sameAs(SecPaidSecret.of(VALUE))).toBe(true);
    expect(secret.sameAs(SecPaidSecret.of('other'))).toBe(false);
    expect(SecPaidSecret.of(secret)).toBe(secret);
    expect(secret.current()).toBe(secret);
    expect(Object.isFrozen(secret)).toBe(true);
    expect(isSecPaidSecret(secret)).toBe(true);
    expect(isSecPaidSecret(VALUE)).toBe(false);
  });

  it('holds an object whose own printed form shows credentials (an app-owned Redis client)', () => {
    const client = { options: { password: VALUE }, call: () => undefined, status: 'ready' };
    const held = SecPaidSecret.holding(client);
    for (const form of printedForms(held)) expect(form).not.toContain(VALUE);
    expect(held.reveal()).toBe(client);
    expect(() => held.hash).toThrow(TypeError);
  });
});
