import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { SECPAID_WEBHOOK_INVALID_MESSAGE } from '../../lib/webhooks/secpaid-webhook.constants.js';
import { FORM_TYPE, JSON_TYPE, formBody, nestedPayload } from '../support/webhook.fixtures.js';
import { post, startWebhookAppOn, type WebhookApp } from '../support/webhook-app.harness.js';

describe('bad input over HTTP: 400, one generic message, no handler', () => {
  let mock: SecPaidMockServer;
  let web: WebhookApp;
  let url: string;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    web = await startWebhookAppOn(mock);
    url = `${web.origin}/secpaid/webhook`;
  });

  afterAll(async () => {
    await web?.close();
    await mock?.stop();
  });

  beforeEach(() => {
    web.handler.events.length = 0;
  });

  const cases: [string, string, string | undefined][] = [
    ['wrong types', JSON.stringify(nestedPayload({} as never, 'x')), JSON_TYPE],
    ['missing pay_id', JSON.stringify({ ResponseCode: 1, data: { status: 'success' } }), JSON_TYPE],
    ['unknown status', JSON.stringify(nestedPayload(5, 1, 'chargeback')), JSON_TYPE],
    ['a JSON array', '[1,2,3]', JSON_TYPE],
    ['a form without fields we know', 'a=1&b=2', FORM_TYPE],
    ['a form with a bad pay_id', formBody('abc'), FORM_TYPE],
    ['an empty JSON body', '', JSON_TYPE],
    ['an empty form body', '', FORM_TYPE],
    ['text/plain', JSON.stringify(nestedPayload()), 'text/plain'],
    ['no content type', JSON.stringify(nestedPayload()), undefined],
    // Not read by Nest's parsers, so there is no raw body: a bad request, not a misconfiguration.
    ['a +json content type', JSON.stringify(nestedPayload()), 'application/vnd.api+json'],
    [
      'a body over 64 KiB',
      JSON.stringify({ ...nestedPayload(), pad: 'x'.repeat(80 * 1024) }),
      JSON_TYPE,
    ],
  ];
  it.each(cases)('%s', async (_name, body, contentType) => {
    const answer = await post(url, body, contentType);
    expect(answer.status).toBe(400);
    expect(answer.json().message).toBe(SECPAID_WEBHOOK_INVALID_MESSAGE);
    expect(web.handler.events).toHaveLength(0);
  });

  it('bodies Nest body parser refuses (malformed JSON, over its 100 kB limit) never reach a handler', async () => {
    const malformed = await post(url, '{"ResponseCode":1,"data":', JSON_TYPE);
    expect(malformed.status).toBe(400);
    const huge = await post(url, JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }), JSON_TYPE);
    expect([400, 413]).toContain(huge.status);
    expect(web.handler.events).toHaveLength(0);
  });

  it('only POST is routed', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      import('node:http')
        .then(({ get }) =>
          get(url, { agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).on('error', reject),
        )
        .catch(reject);
    });
    expect(answer).toBe(404);
  });
});
