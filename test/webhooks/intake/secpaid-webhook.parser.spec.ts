import { describe, expect, it } from '@jest/globals';
import {
  SecPaidConfigurationError,
  SecPaidWebhookError,
} from '../../../lib/core/secpaid.errors.js';
import { SECPAID_WEBHOOK_INVALID_MESSAGE } from '../../../lib/secpaid.constants.js';
import { parseSecPaidWebhook } from '../../../lib/webhooks/intake/secpaid-webhook.parser.js';
import {
  BAD_PADDING_PLAINTEXT,
  FORM_TYPE,
  JSON_TYPE,
  KEY,
  OTHER_KEY,
  bracketPayload,
  encrypt,
  encryptBytes,
  formBody,
  nestedPayload,
} from '../../support/webhook.fixtures.js';

const expected = {
  type: 'payment.succeeded',
  payId: 12345,
  amount: 49.99,
  userId: 'usr-abc-def-123',
  note: 'Invoice #1234',
  confirmed: false,
};

function rejects(body: Buffer | string, contentType?: string, encryptionKey?: string): void {
  let thrown: unknown;
  try {
    parseSecPaidWebhook(body, { contentType, encryptionKey });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SecPaidWebhookError);
  expect((thrown as Error).message).toBe(SECPAID_WEBHOOK_INVALID_MESSAGE);
  expect((thrown as Error).cause).toBeUndefined();
}

describe('parseSecPaidWebhook: every documented shape gives the same event', () => {
  const plain: [string, string, string][] = [
    ['JSON with nested data', JSON.stringify(nestedPayload()), JSON_TYPE],
    ['JSON with data[...] keys', JSON.stringify(bracketPayload()), JSON_TYPE],
    [
      'JSON with string id and amount',
      JSON.stringify(nestedPayload('12345' as never, '49.99')),
      JSON_TYPE,
    ],
    [
      'JSON data[...] with string values',
      JSON.stringify(bracketPayload('12345', '49.99')),
      JSON_TYPE,
    ],
    ['form-urlencoded bracket keys', formBody(), FORM_TYPE],
    ['form with charset parameter', formBody(), `${FORM_TYPE}; charset=UTF-8`],
    [
      'JSON with charset parameter',
      JSON.stringify(nestedPayload()),
      'application/json; charset=utf-8',
    ],
    ['JSON sniffed without a content type', JSON.stringify(nestedPayload()), ''],
    ['form sniffed without a content type', formBody(), ''],
    ['status "SUCCESS"', JSON.stringify(nestedPayload(12345, 49.99, 'SUCCESS')), JSON_TYPE],
    [
      'Status key capitalised',
      JSON.stringify(bracketPayload(12345, 49.99, 'Success', 'Status')),
      JSON_TYPE,
    ],
  ];
  it.each(plain)('%s', (_name, body, contentType) => {
    const event = parseSecPaidWebhook(body, { contentType: contentType || undefined });
    expect(event).toMatchObject({ ...expected, encrypted: false });
    expect(event.raw).toBeDefined();
  });

  it('accepts a Buffer as well as a string', () => {
    const event = parseSecPaidWebhook(Buffer.from(formBody()), { contentType: FORM_TYPE });
    expect(event).toMatchObject({ ...expected, encrypted: false });
  });

  it.each([
    ['cancel', 'status'],
    ['cancel', 'Status'],
    ['Cancel', 'Status'],
    ['cancelled', 'status'],
  ])('maps %s under data[%s] to payment.cancelled', (status, key) => {
    const json = parseSecPaidWebhook(JSON.stringify(bracketPayload(1466, 100, status, key)), {
      contentType: JSON_TYPE,
    });
    const form = parseSecPaidWebhook(formBody(1466, 100, status, key), { contentType: FORM_TYPE });
    for (const event of [json, form]) {
      expect(event).toMatchObject({ type: 'payment.cancelled', payId: 1466, amount: 100 });
    }
  });

  /** Every body shape SecPaid (docs) and its plugin (parse_str) use, with either status key. */
  const shapes: [string, (status: string, key: string) => [string, string]][] = [
    [
      'JSON nested data',
      (status, key) => [
        JSON.stringify({ ResponseCode: 1, data: { pay_id: 1466, amount: 100, [key]: status } }),
        JSON_TYPE,
      ],
    ],
    [
      'JSON data[...] keys',
      (status, key) => [JSON.stringify(bracketPayload(1466, 100, status, key)), JSON_TYPE],
    ],
    ['form data[...] keys', (status, key) => [formBody(1466, 100, status, key), FORM_TYPE]],
  ];
  const spellings: [string, string][] = [
    ['Success', 'payment.succeeded'],
    ['success', 'payment.succeeded'],
    ['SUCCESS', 'payment.succeeded'],
    [' Success ', 'payment.succeeded'],
    ['Failed', 'payment.failed'],
    ['failed', 'payment.failed'],
    ['FAILED', 'payment.failed'],
    ['Cancel', 'payment.cancelled'],
    ['cancelled', 'payment.cancelled'],
    ['Refunded', 'payment.unknown'],
    ['chargeback', 'payment.unknown'],
    ['Pending', 'payment.unknown'],
  ];
  describe.each(shapes)('%s', (_shape, body) => {
    it.each(
      spellings.flatMap(([status, type]) => [
        [status, 'status', type],
        [status, 'Status', type],
      ]),
    )('status %p under %s -> %s, never confirmed', (status, key, type) => {
      const event = parseSecPaidWebhook(...toArgs(body(status, key)));
      expect(event).toMatchObject({ type, status: status.trim(), payId: 1466, confirmed: false });
    });
  });
  const toArgs = ([text, contentType]: [string, string]): [string, { contentType: string }] => [
    text,
    { contentType },
  ];

  it('keeps the received payload as raw', () => {
    const payload = nestedPayload();
    expect(parseSecPaidWebhook(JSON.stringify(payload), { contentType: JSON_TYPE }).raw).toEqual(
      payload,
    );
  });

  it('does not require note, user_id or amount', () => {
    const event = parseSecPaidWebhook(
      JSON.stringify({ ResponseCode: 1, data: { pay_id: 7, status: 'success' } }),
      { contentType: JSON_TYPE },
    );
    expect(event).toEqual({
      type: 'payment.succeeded',
      status: 'success',
      payId: 7,
      encrypted: false,
      confirmed: false,
      raw: { ResponseCode: 1, data: { pay_id: 7, status: 'success' } },
    });
  });
});

describe('parseSecPaidWebhook: encrypted envelope', () => {
  const inner: [string, string][] = [
    ['nested payload', JSON.stringify(nestedPayload())],
    ['bracket-key payload', JSON.stringify(bracketPayload())],
  ];
  it.each(inner)('decrypts a JSON envelope around a %s', (_name, plaintext) => {
    const body = JSON.stringify({ data: encrypt(plaintext) });
    const event = parseSecPaidWebhook(body, { contentType: JSON_TYPE, encryptionKey: KEY });
    expect(event).toMatchObject({ ...expected, encrypted: true });
    expect(event.raw).toEqual(JSON.parse(plaintext));
  });

  it('decrypts a form envelope, url-encoded or with "+" turned into spaces', () => {
    // A ciphertext with "+" in its base64, to prove the space repair.
    let plaintext = '';
    let data = '';
    for (let i = 0; !data.includes('+'); i++) {
      plaintext = JSON.stringify(nestedPayload(12345 + i));
      data = encrypt(plaintext);
    }
    const encoded = new URLSearchParams({ data }).toString();
    const raw = `data=${data}`; // "+" not escaped: a form decoder reads it as a space
    for (const body of [encoded, raw]) {
      const event = parseSecPaidWebhook(body, { contentType: FORM_TYPE, encryptionKey: KEY });
      expect(event.encrypted).toBe(true);
      expect(event.raw).toEqual(JSON.parse(plaintext));
    }
  });

  it('rejects an unencrypted body when a key is configured', () => {
    rejects(JSON.stringify(nestedPayload()), JSON_TYPE, KEY);
    rejects(formBody(), FORM_TYPE, KEY);
  });

  it('rejects an encrypted body when no key is configured', () => {
    rejects(JSON.stringify({ data: encrypt(JSON.stringify(nestedPayload())) }), JSON_TYPE);
  });

  it('throws a configuration error (not a webhook error) for a key that is not 32 bytes', () => {
    for (const key of ['short', `${KEY}x`, `${KEY.slice(0, 31)}é`]) {
      expect(() =>
        parseSecPaidWebhook('{}', { contentType: JSON_TYPE, encryptionKey: key }),
      ).toThrow(SecPaidConfigurationError);
    }
  });

  const good = encrypt(JSON.stringify(nestedPayload()));
  const badEnvelopes: [string, string][] = [
    ['wrong key', encrypt(JSON.stringify(nestedPayload()), OTHER_KEY)],
    ['truncated ciphertext', good.slice(0, good.length - 8)],
    [
      'ciphertext cut to a block boundary',
      Buffer.from(good, 'base64').subarray(0, 16).toString('base64'),
    ],
    ['bad base64', `${good.slice(0, 10)}!*${good.slice(12)}`],
    ['base64 with a bad length', good.slice(0, -1)],
    ['empty data', ''],
    ['bad padding', encrypt(BAD_PADDING_PLAINTEXT, KEY, false)],
    ['non-JSON plaintext', encrypt('not json at all')],
    ['JSON array plaintext', encrypt('[1,2,3]')],
    ['plaintext that is itself an envelope', encrypt(JSON.stringify({ data: good }))],
    ['invalid UTF-8 plaintext', encryptBytes(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]))],
    ['plaintext with a wrong pay_id type', encrypt(JSON.stringify(nestedPayload({} as never)))],
  ];
  it.each(badEnvelopes)('rejects %s with the generic message', (_name, data) => {
    rejects(JSON.stringify({ data }), JSON_TYPE, KEY);
    rejects(new URLSearchParams({ data }).toString(), FORM_TYPE, KEY);
  });
});

describe('parseSecPaidWebhook: anything else is rejected with one generic message', () => {
  const json = (value: unknown): [string, string] => [JSON.stringify(value), JSON_TYPE];
  const cases: [string, [string | Buffer, string]][] = [
    ['missing pay_id', json({ ResponseCode: 1, data: { amount: 1, status: 'success' } })],
    ['pay_id 0', json(nestedPayload(0))],
    ['negative pay_id', json(nestedPayload(-5))],
    ['fractional pay_id', json(nestedPayload(1.5))],
    ['pay_id as an object', json(nestedPayload({} as never))],
    ['pay_id as a non-numeric string', json(nestedPayload('12a' as never))],
    ['pay_id beyond safe integers', json(nestedPayload(2 ** 60))],
    ['missing status', json({ ResponseCode: 1, data: { pay_id: 1, amount: 1 } })],
    ['an empty status', json(nestedPayload(1, 1, ''))],
    ['a status that is no word', json(nestedPayload(1, 1, '<script>'))],
    ['a status longer than 40 characters', json(nestedPayload(1, 1, 'x'.repeat(41)))],
    ['status as a number', json(nestedPayload(1, 1, 1 as never))],
    ['amount as an object', json(nestedPayload(1, {} as never))],
    ['amount as a boolean', json(nestedPayload(1, true as never))],
    ['negative amount', json(nestedPayload(1, -1))],
    ['amount with three decimals', json(nestedPayload(1, 1.005))],
    ['amount as a non-numeric string', json(nestedPayload(1, '12,50'))],
    [
      'note as an object',
      json({ ResponseCode: 1, data: { pay_id: 1, status: 'success', note: {} } }),
    ],
    [
      'user_id as an array',
      json({ ResponseCode: 1, data: { pay_id: 1, status: 'success', user_id: [] } }),
    ],
    ['ResponseCode 0', json({ ...nestedPayload(), ResponseCode: 0 })],
    ['data as an array', json({ ResponseCode: 1, data: [1, 2] })],
    ['data as null', json({ ResponseCode: 1, data: null })],
    ['nested data and bracket keys together', json({ ...nestedPayload(), 'data[pay_id]': 9 })],
    ['status and Status disagreeing', json({ ...bracketPayload(), 'data[Status]': 'cancel' })],
    ['a JSON array', json([nestedPayload()])],
    ['a JSON string', json('success')],
    ['JSON null', json(null)],
    ['malformed JSON', ['{"ResponseCode":1,"data":{', JSON_TYPE]],
    [
      'the old how-to example (malformed JSON)',
      ['{\n"ResponseCode": 1,\n"data[pay_id]": 1466,\n"data"[status]: "success"\n}', JSON_TYPE],
    ],
    ['an empty body', ['', JSON_TYPE]],
    ['an empty form', ['', FORM_TYPE]],
    ['a form without data', ['ResponseCode=1&foo=bar', FORM_TYPE]],
    ['a form with a repeated key', [`${formBody()}&data[pay_id]=99`, FORM_TYPE]],
    ['an unsupported content type', [JSON.stringify(nestedPayload()), 'text/plain']],
    ['a multipart content type', [formBody(), 'multipart/form-data; boundary=x']],
    ['invalid UTF-8', [Buffer.from([0x7b, 0xff, 0x7d]), JSON_TYPE]],
    ['a body over 64 KiB', json({ ...nestedPayload(), pad: 'x'.repeat(70 * 1024) })],
  ];
  it.each(cases)('%s', (_name, [body, contentType]) => {
    rejects(body, contentType);
  });

  it('rejects a body that is neither a string nor a Buffer', () => {
    rejects(42 as never, JSON_TYPE);
    rejects(undefined as never, JSON_TYPE);
  });

  it('rejects objects where strings or numbers belong, even ones that cannot be stringified', () => {
    // Found by the fast-check property: String({ toString: null }) throws a TypeError.
    rejects(
      '{"ResponseCode":{"toString":null},"data":{"pay_id":{},"amount":"","user_id":{},"status":""}}',
      JSON_TYPE,
    );
    rejects('{"ResponseCode":{"toString":null},"data":{"pay_id":1,"status":"success"}}', JSON_TYPE);
    rejects('{"ResponseCode":1,"data":{"pay_id":{"toString":null},"status":"success"}}', JSON_TYPE);
    rejects('{"ResponseCode":1,"data":{"pay_id":1,"status":{"toString":null}}}', JSON_TYPE);
  });

  it('rejects a "__proto__" key without polluting anything', () => {
    rejects(
      '{"__proto__":{"polluted":true},"ResponseCode":1,"data":{"pay_id":3,"status":"success"}}',
      JSON_TYPE,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    rejects('__proto__[x]=1', FORM_TYPE);
  });

  const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

  it.each(PROTOTYPE_NAMES)('rejects %s as a status, in any case', (name) => {
    for (const status of [name, name.toUpperCase()]) {
      rejects(JSON.stringify({ ResponseCode: 1, data: { pay_id: 3, status } }), JSON_TYPE);
      rejects(formBody(3, 1, status), FORM_TYPE);
    }
  });

  it.each(PROTOTYPE_NAMES)('rejects %s as a field name at every level read', (name) => {
    const data = `{"pay_id":3,"status":"success","${name}":"x"}`;
    rejects(`{"ResponseCode":1,"data":${data}}`, JSON_TYPE);
    rejects(`{"ResponseCode":1,"${name}":1,"data":{"pay_id":3,"status":"success"}}`, JSON_TYPE);
    rejects(`${formBody(3, 1)}&${encodeURIComponent(`data[${name}]`)}=x`, FORM_TYPE);
    rejects(`${formBody(3, 1)}&${encodeURIComponent(name)}=x`, FORM_TYPE);
  });

  it('takes no field from the prototype: a body without status or pay_id is rejected', () => {
    rejects('{"ResponseCode":1,"data":{"pay_id":3}}', JSON_TYPE);
    rejects('{"ResponseCode":1,"data":{"status":"success"}}', JSON_TYPE);
  });
});
