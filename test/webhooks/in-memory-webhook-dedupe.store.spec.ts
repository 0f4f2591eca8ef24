import { describe, expect, it } from '@jest/globals';
import { SecPaidInMemoryWebhookDedupeStore } from '../../lib/webhooks/in-memory-webhook-dedupe.store.js';

describe('SecPaidInMemoryWebhookDedupeStore', () => {
  it('remembers a key until its TTL has passed, then forgets it', async () => {
    let now = 1_000;
    const store = new SecPaidInMemoryWebhookDedupeStore(100, () => now);
    expect(await store.seen('payment.succeeded:1')).toBe(false);
    await store.remember('payment.succeeded:1', 500);
    expect(await store.seen('payment.succeeded:1')).toBe(true);
    expect(await store.seen('payment.cancelled:1')).toBe(false);
    now += 499;
    expect(await store.seen('payment.succeeded:1')).toBe(true);
    now += 1;
    expect(await store.seen('payment.succeeded:1')).toBe(false);
    expect(store.size).toBe(0);
  });

  it('stays within its size bound by dropping the oldest keys', async () => {
    const store = new SecPaidInMemoryWebhookDedupeStore(3, () => 0);
    for (let id = 1; id <= 5; id++) await store.remember(`k:${id}`, 1_000);
    expect(store.size).toBe(3);
    expect(await store.seen('k:1')).toBe(false);
    expect(await store.seen('k:2')).toBe(false);
    expect(await store.seen('k:5')).toBe(true);
  });

  it('drops expired keys when new ones arrive', async () => {
    let now = 0;
    const store = new SecPaidInMemoryWebhookDedupeStore(100, () => now);
    await store.remember('old:1', 10);
    await store.remember('old:2', 10);
    now = 20;
    await store.remember('new:1', 10);
    expect(store.size).toBe(1);
  });

  it('re-remembering a key refreshes its expiry and its age', async () => {
    let now = 0;
    const store = new SecPaidInMemoryWebhookDedupeStore(2, () => now);
    await store.remember('a', 100);
    await store.remember('b', 100);
    now = 50;
    await store.remember('a', 100);
    await store.remember('c', 100); // evicts b, the oldest now
    expect(await store.seen('a')).toBe(true);
    expect(await store.seen('b')).toBe(false);
    now = 120;
    expect(await store.seen('a')).toBe(true);
  });
});
