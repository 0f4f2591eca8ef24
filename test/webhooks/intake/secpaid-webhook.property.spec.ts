import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SecPaidWebhookError } from '../../../lib/core/secpaid.errors.js';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import { SECPAID_WEBHOOK_INVALID_MESSAGE } from '../../../lib/secpaid.constants.js';
import { parseSecPaidWebhook } from '../../../lib/webhooks/intake/secpaid-webhook.parser.js';
import { KEY, encrypt } from '../../support/webhook.fixtures.js';
import { post, startWebhookAppOn, type WebhookApp } from '../../support/webhook-app.harness.js';

const contentTypes = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'APPLICATION/JSON',
);

/**
 * Whether the parser acknowledges `status` (as sent on the wire): a known status, or any short
 * word, which becomes `payment.unknown` (docs/webhooks.md). A near miss must fail this.
 */
const acceptableStatus = (status: string): boolean =>
  /^[A-Za-z][A-Za-z0-9 _.-]{0,39}$/.test(status.trim());

/** A status value that is never one the parser accepts. */
const notAStatus = fc.string().filter((s) => !acceptableStatus(s));

/** A value as the form-urlencoded variant below puts it on the wire. */
const onTheWire = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

/** Documented-looking payloads with hostile values; none is an acceptable webhook. */
const nearMisses = fc.oneof(
  fc.record({
    ResponseCode: fc.anything(),
    data: fc.record({
      pay_id: fc.anything(),
      amount: fc.anything(),
      user_id: fc.anything(),
      status: notAStatus,
    }),
  }),
  fc
    .dictionary(
      fc.constantFrom(
        'data[pay_id]',
        'data[amount]',
        'data[status]',
        'data[Status]',
        'ResponseCode',
      ),
      fc.oneof(fc.string(), fc.integer(), fc.double()),
    )
    // A number is no status in JSON, but in a form NaN is sent as the word `null`.
    .filter(
      (d) =>
        !['data[status]', 'data[Status]'].some((k) => k in d && acceptableStatus(onTheWire(d[k]))),
    ),
);

const bodies = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.json(),
  nearMisses.map((value) => JSON.stringify(value)),
  nearMisses.map((value) =>
    new URLSearchParams(
      Object.entries(value).map(([k, v]): [string, string] => [k, onTheWire(v)]),
    ).toString(),
  ),
  fc.base64String().map((data) => JSON.stringify({ data })),
  fc.string().map((text) => JSON.stringify({ data: encrypt(text) })),
);

describe('property: random bodies never crash and never dispatch', () => {
  it('parseSecPaidWebhook only ever throws SecPaidWebhookError with the generic message', () => {
    fc.assert(
      fc.property(bodies, contentTypes, fc.boolean(), (body, contentType, withKey) => {
        let thrown: unknown;
        try {
          parseSecPaidWebhook(body, { contentType, encryptionKey: withKey ? KEY : undefined });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(SecPaidWebhookError);
        expect((thrown as Error).message).toBe(SECPAID_WEBHOOK_INVALID_MESSAGE);
      }),
      { numRuns: 2000 },
    );
  });

  describe('over HTTP', () => {
    let mock: SecPaidMockServer;
    let web: WebhookApp;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      mock = await SecPaidMockServer.start({ rateLimit: false });
      web = await startWebhookAppOn(
        mock,
        {},
        { tuning: { confirmRetryDelaysMs: [], dedupeTtlMs: 60_000 } },
      );
    });

    afterAll(async () => {
      await web?.close();
      await mock?.stop();
      process.off('unhandledRejection', onUnhandled);
    });

    it('answers 4xx, runs no handler, and the app keeps serving', async () => {
      const url = `${web.origin}/secpaid/webhook`;
      await fc.assert(
        fc.asyncProperty(bodies, contentTypes, async (body, contentType) => {
          const answer = await post(url, body, contentType);
          expect([400, 413, 415]).toContain(answer.status);
          expect(web.handler.events).toHaveLength(0);
        }),
        { numRuns: 150 },
      );
      const cancel = await post(
        url,
        'data[pay_id]=5&data[Status]=cancel',
        'application/x-www-form-urlencoded',
      );
      expect(cancel.status).toBe(200);
      expect(unhandled).toEqual([]);
    });
  });
});
