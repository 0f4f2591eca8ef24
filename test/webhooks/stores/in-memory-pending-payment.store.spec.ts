import { describe, expect, it } from '@jest/globals';
import { SecPaidInMemoryPendingPaymentStore } from '../../../lib/webhooks/stores/in-memory-pending-payment.store.js';
import type { SecPaidPendingPayment } from '../../../lib/options/webhook-store.contracts.js';

function entry(payId: number, nextCheckAt: number): SecPaidPendingPayment {
  return {
    key: `${payId}:any`,
    event: {
      type: 'payment.succeeded',
      payId,
      encrypted: false,
      confirmed: false,
      raw: { data: { pay_id: payId } },
    },
    receivedAt: payId,
    expiresAt: 1_000_000,
    nextCheckAt,
    checks: 0,
  };
}

describe('SecPaidInMemoryPendingPaymentStore', () => {
  it('adds a key once; a second add leaves the first entry as it was', async () => {
    const store = new SecPaidInMemoryPendingPaymentStore();
    expect(await store.add(entry(1, 50), 10)).toEqual({ added: true, evicted: [] });
    expect(await store.add(entry(1, 5), 10)).toEqual({ added: false, evicted: [] });
    expect((await store.get('1:any'))?.nextCheckAt).toBe(50);
    expect(await store.size()).toBe(1);
  });

  it('stays within maxEntries by evicting the oldest, and returns what it dropped', async () => {
    const store = new SecPaidInMemoryPendingPaymentStore();
    for (const payId of [1, 2, 3]) await store.add(entry(payId, 10), 3);
    const { evicted } = await store.add(entry(4, 10), 3);
    expect(evicted.map((e) => e.event.payId)).toEqual([1]);
    expect(await store.size()).toBe(3);
    expect(await store.get('1:any')).toBeUndefined();
  });

  it('lists due entries earliest first, up to a limit, and knows the next due time', async () => {
    const store = new SecPaidInMemoryPendingPaymentStore();
    await store.add(entry(1, 30), 10);
    await store.add(entry(2, 10), 10);
    await store.add(entry(3, 99), 10);
    expect((await store.due(50, 10)).map((e) => e.event.payId)).toEqual([2, 1]);
    expect((await store.due(50, 1)).map((e) => e.event.payId)).toEqual([2]);
    expect(await store.nextCheckAt()).toBe(10);
    await store.update({ ...entry(2, 70), checks: 1 });
    expect(await store.nextCheckAt()).toBe(30);
    await store.remove('1:any');
    await store.remove('2:any');
    await store.remove('3:any');
    expect(await store.nextCheckAt()).toBeUndefined();
  });

  it('keeps copies: changing a returned or added entry does not change the stored one', async () => {
    const store = new SecPaidInMemoryPendingPaymentStore();
    const added = entry(1, 10);
    await store.add(added, 10);
    added.nextCheckAt = 999;
    const got = (await store.get('1:any'))!;
    got.checks = 42;
    expect(await store.get('1:any')).toMatchObject({ nextCheckAt: 10, checks: 0 });
  });

  it('update() of a key no longer pending does not bring it back', async () => {
    const store = new SecPaidInMemoryPendingPaymentStore();
    await store.update(entry(1, 10));
    expect(await store.size()).toBe(0);
  });
});
