import fc from 'fast-check';
import { SecPaidValidationError, type SecPaidService } from '../../lib/index.js';
import { startRecordingServer, type RecordingServer } from '../support/loopback-server.js';
import {
  createServiceHarness,
  devOptions,
  type ServiceHarness,
} from '../support/service-app.harness.js';

/**
 * Inputs cannot smuggle odd bytes: every text field refuses control characters, line breaks,
 * lone surrogates and bidi overrides with a `SecPaidValidationError` naming the field, before
 * anything is sent; everything accepted reaches the server byte-exact, in a body that a strict
 * UTF-8 decoder and a strict JSON parser accept. Valid input is never refused.
 */
const API_KEY = 'odd-bytes-test-key';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

let server: RecordingServer;
let harness: ServiceHarness;
let service: SecPaidService;

beforeAll(async () => {
  server = await startRecordingServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const data = request.url.endsWith('/createLink')
      ? { id: 1, pay_link: 'https://pay.example/1', amount: 1 }
      : [];
    response.end(JSON.stringify({ ResponseCode: 1, ResponseMsg: 'ok', Result: 'True', data }));
  });
  harness = await createServiceHarness(devOptions(API_KEY, server.baseUrl));
  service = harness.service;
});

afterAll(async () => {
  await harness.close();
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
});

/** The body of the one request sent, read strictly (invalid UTF-8 or JSON throws). */
function strictBodyOfOnlyRequest(): Record<string, unknown> {
  expect(server.requests).toHaveLength(1);
  return JSON.parse(strictUtf8.decode(server.requests[0]!.rawBody)) as Record<string, unknown>;
}

async function refusal(call: Promise<unknown>): Promise<SecPaidValidationError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecPaidValidationError);
  expect(server.requests).toHaveLength(0);
  return error as SecPaidValidationError;
}

function fieldsOf(error: SecPaidValidationError): string[] {
  return error.issues.map((issue) => issue.field);
}

describe('refused before anything is sent, naming the field', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['CR/LF', 'line\r\nInjected: header'],
    ['tab', 'a\tb'],
    ['RIGHT-TO-LEFT OVERRIDE', 'invoice \u202egnp.exe'],
    ['first strong isolate', 'a\u2068b'],
    ['lone high surrogate', 'x\ud800y'],
    ['lone low surrogate', 'x\udc00'],
    ['C1 control', 'a\u0085b'],
    ['line separator', 'a\u2028b'],
  ])('a note with %s', async (_name, note) => {
    const error = await refusal(service.createLink({ amount: 1, note }));
    expect(fieldsOf(error)).toEqual(['note']);
  });

  it.each([
    ['BEL', 'shop\u0007'],
    ['ESC', '\u001b[31mred'],
  ])('bankStatementDescription with %s', async (_name, text) => {
    const error = await refusal(service.createLink({ amount: 1, bankStatementDescription: text }));
    expect(fieldsOf(error)).toEqual(['bankStatementDescription']);
  });

  it('search with NUL, on every list', async () => {
    for (const call of [
      () => service.getMyUnusedLinks({ search: 'a\u0000' }),
      () => service.getMyUsedLinks({ search: 'a\u0000' }),
      () => service.getPayInTransactions({ search: 'a\u0000' }),
      () => service.getPayOutTransactions({ search: 'a\u0000' }),
      () => service.getTaxInvoiceList({ search: 'a\u0000' }),
    ]) {
      expect(fieldsOf(await refusal(call()))).toEqual(['search']);
    }
  });

  it.each([
    ['callbackUrl', 'https://shop.example/done\n'],
    ['callbackUrl', ' https://shop.example/done'],
    ['paymentEndpoint', '99999999999999999999'],
    ['paymentEndpoint', '0, 1'],
    ['paymentEndpoint', '0,0'],
  ])('%s %p', async (field, value) => {
    const error = await refusal(service.createLink({ amount: 1, [field]: value }));
    expect(fieldsOf(error)).toEqual([field]);
  });

  it('duplicate split recipient tokens', async () => {
    const error = await refusal(
      service.createSplitLink({
        amount: 10,
        recipients: [
          { token: 'tok-a', share: 10 },
          { token: 'tok-a', share: 20 },
        ],
      }),
    );
    expect(fieldsOf(error)).toEqual(['recipients']);
    expect(error.message).toContain('[1].token repeats an earlier recipient');
  });

  it('split recipient tokens with control characters or surrounding spaces', async () => {
    for (const token of ['tok\u0000', ' tok', 'tok\u202e']) {
      const error = await refusal(
        service.createSplitLink({ amount: 10, recipients: [{ token, share: 10 }] }),
      );
      expect(fieldsOf(error)).toEqual(['recipients']);
    }
  });

  it('a payout range with startDate after endDate', async () => {
    const error = await refusal(
      service.getPayOutTransactions({ startDate: '2024-03-02', endDate: '2024-03-01' }),
    );
    expect(fieldsOf(error)).toEqual(['endDate']);
  });
});

describe('valid input is never refused', () => {
  it.each([
    ['0.01', { amount: 0.01 }],
    ['4.35', { amount: 4.35 }],
    ['an empty note', { amount: 1, note: '' }],
    ['Müller 🎉', { amount: 1, note: 'Müller 🎉' }],
    ['255 emoji', { amount: 1, note: '🎉'.repeat(255) }],
    ['right-to-left text with its marks', { amount: 1, note: 'שלום\u200f 42' }],
    ['an index list', { amount: 1, paymentEndpoint: '0,1,https://shop.example/hook' }],
  ])('createLink with %s', async (_name, input) => {
    await service.createLink(input);
    const body = strictBodyOfOnlyRequest();
    if ('note' in input) expect(body['recipient_note']).toBe(input.note);
    if ('paymentEndpoint' in input) expect(body['payment_endpoint']).toBe(input.paymentEndpoint);
  });

  it('a leap day and a one-day payout range', async () => {
    await service.getPayInTransactions({ date: '2024-02-29' });
    server.requests.length = 0;
    await service.getPayOutTransactions({ startDate: '2024-02-29', endDate: '2024-02-29' });
    expect(strictBodyOfOnlyRequest()).toMatchObject({
      start_date: '2024-02-29',
      end_date: '2024-02-29',
    });
  });
});

/** Characters the rules are about, mixed into otherwise arbitrary UTF-16 (surrogate halves too). */
const CHARACTER = fc.oneof(
  fc.constantFrom(
    '\u0000',
    '\t',
    '\n',
    '\r',
    '\u0007',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u2028',
    '\u202e',
    '\u2066',
    '\u200f',
    '\ud800',
    '\udfff',
    '🎉',
    'ü',
    '"',
    '\\',
    '/',
    ' ',
    'a',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const TEXT = fc.string({ unit: CHARACTER, maxLength: 12 });
/** The documented rule, written independently of the implementation. */
function allowed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return false;
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return false;
    if (unit === 0x2028 || unit === 0x2029) return false;
    if ((unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)) return false;
  }
  return true;
}

describe('property: accepted means sent byte-exact, sent means strictly readable', () => {
  const FIELDS = [
    {
      field: 'note',
      wire: 'recipient_note',
      call: (text: string) => service.createLink({ amount: 1, note: text }),
    },
    {
      field: 'bankStatementDescription',
      wire: 'bank_statement_description',
      call: (text: string) => service.createLink({ amount: 1, bankStatementDescription: text }),
    },
    {
      field: 'search',
      wire: 'search',
      call: (text: string) => service.getMyUnusedLinks({ search: text }),
    },
  ];

  it.each(FIELDS)('$field', async ({ field, wire, call }) => {
    await fc.assert(
      fc.asyncProperty(TEXT, async (text) => {
        server.requests.length = 0;
        const outcome = await call(text).then(
          () => 'sent',
          (error: unknown) => error,
        );
        if (outcome === 'sent') {
          expect(allowed(text)).toBe(true);
          expect(strictBodyOfOnlyRequest()[wire]).toBe(text);
        } else {
          expect(allowed(text)).toBe(false);
          expect(outcome).toBeInstanceOf(SecPaidValidationError);
          expect(fieldsOf(outcome as SecPaidValidationError)).toEqual([field]);
          expect(server.requests).toHaveLength(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});
