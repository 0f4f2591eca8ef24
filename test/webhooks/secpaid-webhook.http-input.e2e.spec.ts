import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { Body, Controller, Post } from '@nestjs/common';
import type { SecPaidModuleOptions } from '../../lib/options/secpaid-options.js';
import { gzipSync } from 'node:zlib';
import {
  SECPAID_WEBHOOK_INVALID_MESSAGE,
  SECPAID_WEBHOOK_UNSUPPORTED_MESSAGE,
} from '../../lib/secpaid.constants.js';
import { FORM_TYPE, JSON_TYPE, formBody, nestedPayload } from '../support/webhook.fixtures.js';
import {
  ADAPTERS,
  SecPaidModule,
  get,
  post,
  startWebhookApp,
  type WebhookApp,
} from '../support/webhook-app.harness.js';

/** Another route of the app: it keeps Nest's own body parsers. */
@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown): unknown {
    return { body };
  }
}

// Cancellations need no API call, so every case is about the body alone.
const options: SecPaidModuleOptions = {
  apiKey: 'sk_test_body_shapes',
  environment: 'development',
  baseUrl: 'http://127.0.0.1:9',
  rateLimit: false,
  webhooks: {},
};
// Each accepted case has its own pay id (a repeated one would be a duplicate, dispatched once).
const cancelJson = (payId: number): string => JSON.stringify(nestedPayload(payId, 10, 'cancel'));

/** [case, body, content type, status]: the receiver's documented answer, on every adapter. */
const BODY_SHAPES: [string, string | Buffer, string | undefined, number][] = [
  ['nested JSON', cancelJson(4201), JSON_TYPE, 200],
  ['JSON with a charset', cancelJson(4202), `${JSON_TYPE}; charset=utf-8`, 200],
  ['a +json type', cancelJson(4203), 'application/vnd.api+json', 200],
  ['JSON without a content type (sniffed)', cancelJson(4204), undefined, 200],
  ['form bracket keys', formBody(4205, 10, 'cancel'), FORM_TYPE, 200],
  ['form without a content type (sniffed)', formBody(4206, 10, 'cancel'), undefined, 200],
  ['JSON sent as text/plain', cancelJson(4207), 'text/plain', 400],
  ['JSON sent as application/octet-stream', cancelJson(4208), 'application/octet-stream', 400],
  ['JSON sent as multipart/form-data', cancelJson(4209), 'multipart/form-data; boundary=x', 400],
  ['malformed JSON', '{"ResponseCode":1,"data":', JSON_TYPE, 400],
  ['JSON with a trailing comma', '{"data":{"pay_id":1,"status":"cancel"},}', JSON_TYPE, 400],
  ['a JSON array', '[1,2,3]', JSON_TYPE, 400],
  ['a JSON string', '"cancel"', JSON_TYPE, 400],
  ['an empty JSON body', '', JSON_TYPE, 400],
  ['an empty form body', '', FORM_TYPE, 400],
  ['an empty body without a content type', '', undefined, 400],
  ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), JSON_TYPE, 400],
  ['a form without fields we know', 'a=1&b=2', FORM_TYPE, 400],
  ['a form with a repeated key', `${formBody(1, 1, 'cancel')}&data%5Bpay_id%5D=2`, FORM_TYPE, 400],
  ['wrong field types', JSON.stringify(nestedPayload({} as never, 'x')), JSON_TYPE, 400],
  ['a status that is no word', JSON.stringify(nestedPayload(5, 1, '{x}')), JSON_TYPE, 400],
  [
    'over the receiver limit (80 KiB, under Nest 100 kB)',
    JSON.stringify({ ...nestedPayload(5, 1, 'cancel'), pad: 'x'.repeat(80 * 1024) }),
    JSON_TYPE,
    400,
  ],
  [
    'over Nest body limit too (1 MiB)',
    JSON.stringify({ ...nestedPayload(5, 1, 'cancel'), pad: 'x'.repeat(1024 * 1024) }),
    JSON_TYPE,
    400,
  ],
  ['a 1 MiB form', `${formBody(5, 1, 'cancel')}&pad=${'x'.repeat(1024 * 1024)}`, FORM_TYPE, 400],
];

describe.each(ADAPTERS)('%s: the receiver owns its body', (adapter) => {
  let web: WebhookApp;
  let url: string;

  beforeAll(async () => {
    web = await startWebhookApp(SecPaidModule.forRoot(options), {
      adapter,
      configure: (app) => app.withControllers(EchoController),
    });
    url = `${web.origin}/secpaid/webhook`;
  });

  afterAll(async () => {
    await web?.close();
  });

  beforeEach(() => {
    web.handler.events.length = 0;
  });

  it.each(BODY_SHAPES)('%s', async (_name, body, contentType, status) => {
    const answer = await post(url, body, contentType);
    expect(answer.status).toBe(status);
    if (status === 200) {
      expect(answer.json()).toEqual({ received: true });
      expect(web.handler.events).toMatchObject([{ type: 'payment.cancelled' }]);
    } else {
      // The same body on both adapters, whatever stage refused the input.
      expect(answer.json()).toEqual({
        statusCode: 400,
        message: SECPAID_WEBHOOK_INVALID_MESSAGE,
        error: 'Bad Request',
      });
      expect(web.handler.events).toHaveLength(0);
    }
  });

  it.each<[string, string | Buffer, string, Record<string, string>]>([
    ['gzip-compressed JSON', gzipSync(cancelJson(4301)), JSON_TYPE, { 'content-encoding': 'gzip' }],
    ['a deflate coding', cancelJson(4302), JSON_TYPE, { 'content-encoding': 'deflate' }],
    ['UTF-16 JSON', Buffer.from(cancelJson(4303), 'utf16le'), `${JSON_TYPE}; charset=utf-16`, {}],
    ['a latin-1 form', formBody(4304, 10, 'cancel'), `${FORM_TYPE}; charset=ISO-8859-1`, {}],
  ])('415 for %s: not decoded, no handler runs', async (_name, body, contentType, headers) => {
    const answer = await post(url, body, contentType, headers);
    expect(answer.status).toBe(415);
    expect(answer.json()).toMatchObject({ message: SECPAID_WEBHOOK_UNSUPPORTED_MESSAGE });
    expect(web.handler.events).toHaveLength(0);
  });

  it.each<[string, number, string, Record<string, string>]>([
    ['Content-Encoding: identity', 4311, JSON_TYPE, { 'content-encoding': 'identity' }],
    ['charset="UTF-8" (quoted, upper case)', 4312, `${JSON_TYPE}; charset="UTF-8"`, {}],
    ['charset=utf8', 4313, `${JSON_TYPE}; charset=utf8`, {}],
  ])('accepted: %s', async (_name, payId, contentType, headers) => {
    const answer = await post(url, cancelJson(payId), contentType, headers);
    expect(answer.status).toBe(200);
  });

  it('the rest of the app keeps Nest body parsers', async () => {
    const parsed = await post(`${web.origin}/echo`, '{"a":1}', JSON_TYPE);
    expect(parsed.status).toBe(201);
    expect(parsed.json()).toEqual({ body: { a: 1 } });
    const malformed = await post(`${web.origin}/echo`, '{"a":', JSON_TYPE);
    expect(malformed.status).toBe(400);
    expect(malformed.json().message).not.toBe(SECPAID_WEBHOOK_INVALID_MESSAGE);
  });

  it('a body cut off mid-way runs no handler and leaves the receiver serving', async () => {
    const { port } = new URL(web.origin);
    const body = cancelJson(4299);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /secpaid/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
            `Content-Type: ${JSON_TYPE}\r\nContent-Length: ${body.length + 100}\r\n\r\n` +
            body,
          () => socket.destroy(),
        );
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const next = await post(url, cancelJson(4298), JSON_TYPE);
    expect(next.status).toBe(200);
    expect(web.handler.events.map((e) => e.payId)).toEqual([4298]);
  });

  it('only POST is routed', async () => {
    expect((await get(url)).status).toBe(404);
  });
});
