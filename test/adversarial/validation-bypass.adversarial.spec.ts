import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidValidationError, type SecPaidService } from '../../lib/index.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import {
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

// Issue 15, defects 1 and 2: every input here used to reach the wire. A recording server on
// 127.0.0.1 proves that nothing is sent now: each call rejects with SecPaidValidationError.
let server: RecordingServer;
let harness: ServiceHarness;
let service: SecPaidService;

beforeAll(async () => {
  server = await startRecordingServer();
  harness = await createServiceHarness(devOptions('sk_test_adversarial', server.baseUrl));
  service = harness.service;
});
afterAll(async () => {
  await harness.close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

async function expectRejectedUnsent(call: Promise<unknown>, field?: string): Promise<void> {
  const error = await rejectionOf(call);
  expect(error).toBeInstanceOf(SecPaidValidationError);
  if (field !== undefined) {
    expect((error as SecPaidValidationError).issues.map((issue) => issue.field)).toContain(field);
  }
  expect(server.requests).toHaveLength(0);
}

describe('defect 1: an own __proto__ key cannot switch validation off', () => {
  it('createLink with {"__proto__":{},"amount":-1000} is rejected, unknown key named', async () => {
    const input = JSON.parse('{"__proto__":{},"amount":-1000}') as { amount: number };
    const error = await rejectionOf(service.createLink(input));
    expect(error).toBeInstanceOf(SecPaidValidationError);
    expect((error as SecPaidValidationError).issues).toEqual(
      expect.arrayContaining([
        { field: '__proto__', message: 'is not a known field' },
        expect.objectContaining({ field: 'amount' }),
      ]),
    );
    expect(server.requests).toHaveLength(0);
  });

  it('createSplitLink shares 250 and -80 behind __proto__ are rejected', async () => {
    const input = JSON.parse(
      '{"__proto__":{},"amount":100,"recipients":[{"token":"a","share":250},{"token":"b","share":-80}]}',
    ) as never;
    await expectRejectedUnsent(service.createSplitLink(input), 'recipients');
  });

  it('refundPayment {payId: -3, refundAmount: 1e9} behind __proto__ is rejected', async () => {
    const input = JSON.parse('{"__proto__":{},"payId":-3,"refundAmount":1e9}') as never;
    await expectRejectedUnsent(service.refundPayment(input), 'payId');
  });

  it('a typo is rejected, not ignored (fullrefund instead of fullRefund)', async () => {
    const input = { payId: 5, refundAmount: 10, fullrefund: true } as never;
    await expectRejectedUnsent(service.refundPayment(input), 'fullrefund');
  });
});

describe('defect 2: the other validation gaps', () => {
  it.each([1e-9, 10.000000001])('amount %p (more than 2 decimals) is rejected', async (amount) => {
    await expectRejectedUnsent(service.createLink({ amount }), 'amount');
  });

  it('payId 2^60 (beyond Number.MAX_SAFE_INTEGER) is rejected', async () => {
    await expectRejectedUnsent(service.refundPayment({ payId: 2 ** 60, refundAmount: 1 }), 'payId');
    await expectRejectedUnsent(service.deleteLink(2 ** 60), 'linkId');
    await expectRejectedUnsent(service.getPayInTransactions({ payId: 2 ** 60 }), 'payId');
  });

  it('a 1 MB recipient token is rejected', async () => {
    const recipients = [{ token: 'x'.repeat(1024 * 1024), share: 10 }];
    await expectRejectedUnsent(service.createSplitLink({ amount: 10, recipients }), 'recipients');
  });

  it('100k recipients (and a sparse 2^32-1 array) are rejected', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ token: `t${i}`, share: 0 }));
    await expectRejectedUnsent(service.createSplitLink({ amount: 10, recipients: many }));
    const sparse = new Array(2 ** 32 - 1) as { token: string; share: number }[];
    await expectRejectedUnsent(service.createSplitLink({ amount: 10, recipients: sparse }));
  });

  it('a 32-character encryptionKey of multi-byte characters (64 bytes) is rejected', async () => {
    const encryptionKey = 'ä'.repeat(32);
    await expectRejectedUnsent(service.createLink({ amount: 10, encryptionKey }), 'encryptionKey');
  });

  it.each(['2026-02-31', '2026-04-31', '2025-02-29'])('date %p is rejected', async (date) => {
    await expectRejectedUnsent(service.getPayInTransactions({ date }), 'date');
    await expectRejectedUnsent(service.getPayOutTransactions({ startDate: date }), 'startDate');
  });

  it('a leap day is accepted (2028-02-29)', async () => {
    await service.getPayInTransactions({ date: '2028-02-29' });
    expect(server.requests).toHaveLength(1);
  });

  it('a getter is read once: what was validated (30) is what is sent', async () => {
    let reads = 0;
    const input = {
      get amount(): number {
        reads++;
        return reads === 1 ? 30 : 5000;
      },
    };
    // The recording server's answer is not a link; only what was sent matters here.
    await rejectionOf(service.createLink(input));
    expect(reads).toBe(1);
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ amount: 30 });
  });

  it('a throwing getter is a SecPaidValidationError', async () => {
    const input = {
      get amount(): number {
        throw new TypeError('boom');
      },
    };
    await expectRejectedUnsent(service.createLink(input), 'input');
  });

  it('a Proxy whose traps throw is a SecPaidValidationError', async () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new TypeError('trap');
        },
        getOwnPropertyDescriptor: () => {
          throw new TypeError('trap');
        },
        get: () => {
          throw new TypeError('trap');
        },
      },
    );
    await expectRejectedUnsent(service.createLink(hostile as never), 'input');
    const revocable = Proxy.revocable({ amount: 1 }, {});
    revocable.revoke();
    await expectRejectedUnsent(service.createLink(revocable.proxy));
  });

  it('signal: {} and options: null are SecPaidValidationErrors', async () => {
    await expectRejectedUnsent(
      service.createLink({ amount: 1 }, { signal: {} as AbortSignal }),
      'signal',
    );
    await expectRejectedUnsent(service.createLink({ amount: 1 }, null as never), 'options');
  });

  it('a per-call timeoutMs above 2^31-1 is rejected (Node would fire it at once)', async () => {
    await expectRejectedUnsent(
      service.createLink({ amount: 1 }, { timeoutMs: 2 ** 31 }),
      'timeoutMs',
    );
  });
});
