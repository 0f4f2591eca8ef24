import { describe, expect, it } from '@jest/globals';
import { SecPaidInMemoryWebhookDedupeStore } from '../../../lib/webhooks/stores/in-memory-webhook-dedupe.store.js';

const KEY = 'payment.succeeded:1';

describe('SecPaidInMemoryWebhookDedupeStore', () => {
  it('claims once: a second claim sees processing, then done until the TTL passes', async () => {
    let now = 1_000;
    const store = new SecPaidInMemoryWebhookDedupeStore(100, () => now);
    expect(await store.claim(KEY, 'a', 100)).toBe('claimed');
    expect(await store.claim(KEY, 'b', 100)).toBe('processing');
    expect(await store.claim('payment.cancelled:1', 'c', 100)).toBe('claimed');
    await store.complete(KEY, 'a', 500);
    expect(await store.claim(KEY, 'b', 100)).toBe('done');
    expect(await store.isDone(KEY)).toBe(true);
    now += 499;
    expect(await store.claim(KEY, 'b', 100)).toBe('done');
    now += 1;
    expect(await store.isDone(KEY)).toBe(false);
    expect(await store.claim(KEY, 'b', 100)).toBe('claimed');
  });

  it('release frees the claim of its own token only', async () => {
    const store = new SecPaidInMemoryWebhookDedupeStore(100, () => 0);
    expect(await store.claim(KEY, 'a', 100)).toBe('claimed');
    await store.release(KEY, 'someone-else');
    expect(await store.claim(KEY, 'b', 100)).toBe('processing');
    await store.release(KEY, 'a');
    expect(await store.claim(KEY, 'b', 100)).toBe('claimed');
  });

  it('a claim whose holder died expires after its TTL', async () => {
    let now = 0;
    const store = new SecPaidInMemoryWebhookDedupeStore(100, () => now);
    expect(await store.claim(KEY, 'dead', 1_000)).toBe('claimed');
    now = 999;
    expect(await store.claim(KEY, 'b', 1_000)).toBe('processing');
    now = 1_000;
    expect(await store.claim(KEY, 'b', 1_000)).toBe('claimed');
    // The late holder's release does not free the new claim.
    await store.release(KEY, 'dead');
    expect(await store.claim(KEY, 'c', 1_000)).toBe('processing');
  });

  it('stays within its size bound by dropping the oldest keys', async () => {
    const store = new SecPaidInMemoryWebhookDedupeStore(3, () => 0);
    for (let id = 1; id <= 5; id++) await store.complete(`k:${id}`, 't', 1_000);
    expect(store.size).toBe(3);
    expect(await store.isDone('k:1')).toBe(false);
    expect(await store.isDone('k:2')).toBe(false);
    expect(await store.isDone('k:5')).toBe(true);
  });

  it('drops expired keys when new ones arrive', async () => {
    let now = 0;
    const store = new SecPaidInMemoryWebhookDedupeStore(100, () => now);
    await store.complete('old:1', 't', 10);
    await store.claim('old:2', 't', 10);
    now = 20;
    await store.complete('new:1', 't', 10);
    expect(store.size).toBe(1);
  });

  it('prototype-like keys are plain keys', async () => {
    const store = new SecPaidInMemoryWebhookDedupeStore(100, () => 0);
    for (const key of ['__proto__', 'constructor', 'toString']) {
      expect(await store.isDone(key)).toBe(false);
      expect(await store.claim(key, 'a', 100)).toBe('claimed');
    }
  });
});
