import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import {
  SecPaidApiError,
  SecPaidAuthenticationError,
  SecPaidNotFoundError,
  SecPaidValidationError,
} from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  callsTo,
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

const PARTNER_TOKEN = 'partner-a';

describe('SecPaidService against SecPaidMockServer: every endpoint', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  let apiKey: string;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({
      rateLimit: false,
      recipientTokens: [PARTNER_TOKEN, 'partner-b'],
      accounts: [{}, {}, { environment: 'production' }],
    });
    apiKey = mock.accounts[0]!.apiKey;
    harness = await createServiceHarness(devOptions(apiKey, mock.baseUrl));
  });
  afterAll(async () => {
    await harness?.close();
    await mock?.stop();
  });
  beforeEach(() => mock.reset());

  const service = (): ServiceHarness['service'] => harness.service;

  describe('createLink', () => {
    it('creates a link and maps every input field to its documented wire name and type', async () => {
      const link = await service().createLink({
        amount: 49.99,
        note: 'Order 1001',
        callbackUrl: 'https://shop.example/return',
        paymentEndpoint: '0,https://shop.example/hook',
        cancellable: false,
        bankTransfer: true,
        encryptWebhooks: false,
        encryptionKey: 'k'.repeat(32),
        bankStatementDescription: 'SHOP 1001',
        isQrLink: false,
      });
      const [request] = callsTo(mock.requests, 'createLink');
      expect(request!.method).toBe('POST');
      expect(request!.headers['content-type']).toMatch(/^application\/json/);
      expect(request!.headers['token']).toBe(apiKey);
      expect(request!.body).toEqual({
        amount: 49.99,
        recipient_note: 'Order 1001',
        callback_url: 'https://shop.example/return',
        payment_endpoint: '0,https://shop.example/hook',
        cancellable: false,
        bank_transfer: 'true',
        is_encryption: 'false',
        encryption_key: 'k'.repeat(32),
        bank_statement_description: 'SHOP 1001',
        is_qr_link: 'false',
      });
      const stored = mock.links[0]!;
      expect(link).toMatchObject({
        id: stored.id,
        url: stored.payLink,
        qrCodeUrl: stored.qrImg,
        amount: 49.99,
        note: 'Order 1001',
        status: 'Unused',
        isSplit: false,
        recipients: [],
        bankTransfer: true,
      });
      expect(link.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(link.createdAt!.getTime() - stored.createdAt.getTime())).toBeLessThan(1000);
      expect(typeof link.raw['created_at']).toBe('string');
    });

    it('sends only the fields that were given', async () => {
      await service().createLink({ amount: 5 });
      expect(callsTo(mock.requests, 'createLink')[0]!.body).toEqual({ amount: 5 });
    });

    it('rejects bad input before sending anything', async () => {
      const error = await rejectionOf(
        service().createLink({ amount: 10.005, callbackUrl: 'nope', note: 'x'.repeat(300) }),
      );
      expect(error).toBeInstanceOf(SecPaidValidationError);
      expect((error as SecPaidValidationError).issues.map((i) => i.field)).toEqual([
        'amount',
        'note',
        'callbackUrl',
      ]);
      expect(mock.requests).toHaveLength(0);
    });
  });

  describe('createSplitLink', () => {
    it('creates a split link; recipients array, split_type and boolean is_qr_link on the wire', async () => {
      const link = await service().createSplitLink({
        amount: 100,
        splitType: 'absolute',
        recipients: [
          { token: PARTNER_TOKEN, share: 50 },
          { token: 'partner-b', share: 30 },
        ],
        note: 'Mixed service',
        cancellable: true,
        isQrLink: false,
        callbackUrl: '0',
      });
      expect(callsTo(mock.requests, 'createSplitLink')[0]!.body).toEqual({
        amount: 100,
        split_type: 'absolute',
        recipients: [
          { token: PARTNER_TOKEN, share: 50 },
          { token: 'partner-b', share: 30 },
        ],
        recipient_note: 'Mixed service',
        cancellable: true,
        is_qr_link: false,
        callback_url: '0',
      });
      expect(link).toMatchObject({
        id: mock.links[0]!.id,
        amount: 100,
        isSplit: true,
        splitType: 'absolute',
        recipients: [
          { token: PARTNER_TOKEN, share: 50 },
          { token: 'partner-b', share: 30 },
        ],
      });
    });

    it('surfaces SecPaid refusals (unknown recipient token, own token) as SecPaidApiError', async () => {
      const unknown = await rejectionOf(
        service().createSplitLink({ amount: 10, recipients: [{ token: 'nobody', share: 10 }] }),
      );
      // Not an auth error although the message says "token".
      expect(unknown.constructor).toBe(SecPaidApiError);
      expect((unknown as SecPaidApiError).responseMessage).toBe(
        'Invalid recipient token at index 0',
      );
      const own = await rejectionOf(
        service().createSplitLink({
          amount: 10,
          recipients: [{ token: mock.accounts[0]!.recipientToken, share: 10 }],
        }),
      );
      expect(own).toBeInstanceOf(SecPaidApiError);
      expect(own.constructor).toBe(SecPaidApiError);
    });

    it('checks the split rules client-side: nothing is sent', async () => {
      const error = await rejectionOf(
        service().createSplitLink({
          amount: 100,
          recipients: [
            { token: PARTNER_TOKEN, share: 70 },
            { token: 'partner-b', share: 30.01 },
          ],
        }),
      );
      expect((error as SecPaidValidationError).issues).toEqual([
        { field: 'recipients', message: 'shares must sum to at most 100 (percent)' },
      ]);
      const empty = await rejectionOf(service().createSplitLink({ amount: 100, recipients: [] }));
      expect(empty).toBeInstanceOf(SecPaidValidationError);
      expect(mock.requests).toHaveLength(0);
    });
  });

  describe('deleteLink', () => {
    it('deletes an unused link (link_id as a JSON integer)', async () => {
      const link = await service().createLink({ amount: 3 });
      await expect(service().deleteLink(link.id)).resolves.toBeUndefined();
      expect(callsTo(mock.requests, 'deleteLink')[0]!.body).toEqual({ link_id: link.id });
      expect(mock.links[0]!.status).toBe('Deleted');
    });

    it('maps "Invalid link ID" to SecPaidNotFoundError and "This link is already used" to SecPaidApiError', async () => {
      const missing = await rejectionOf(service().deleteLink(987654));
      expect(missing).toBeInstanceOf(SecPaidNotFoundError);
      expect(missing).toMatchObject({ endpoint: 'deleteLink', responseMessage: 'Invalid link ID' });

      const link = await service().createLink({ amount: 3 });
      await mock.pay(link.id, { sendWebhooks: false });
      const used = await rejectionOf(service().deleteLink(link.id));
      expect(used.constructor).toBe(SecPaidApiError);
      expect((used as SecPaidApiError).responseMessage).toBe('This link is already used');
    });

    it.each([0, -1, 1.5, Number.NaN])('rejects link id %p without a request', async (id) => {
      const error = await rejectionOf(service().deleteLink(id));
      expect(error).toBeInstanceOf(SecPaidValidationError);
      expect((error as SecPaidValidationError).issues[0]!.field).toBe('linkId');
      expect(mock.requests).toHaveLength(0);
    });
  });

  describe('refundPayment', () => {
    it('creates one refund request (pay_id integer, refund_amount number, isFullRefund boolean)', async () => {
      const link = await service().createLink({ amount: 49.99 });
      await mock.pay(link.id, { sendWebhooks: false });
      const refund = await service().refundPayment({
        payId: link.id,
        refundAmount: 49.99,
        fullRefund: true,
      });
      expect(callsTo(mock.requests, 'refundPayment')[0]!.body).toEqual({
        pay_id: link.id,
        refund_amount: 49.99,
        isFullRefund: true,
      });
      expect(refund).toMatchObject({
        payId: link.id,
        refundAmount: 49.99,
        fullRefund: true,
        status: 'Pending',
        message: 'Refund request has been sent successfully, You will get update within 5-10 days',
      });
      expect(refund.raw['ResponseCode']).toBe(1);
      expect(mock.refunds).toHaveLength(1);
    });

    it('surfaces the documented refusals with the right classes', async () => {
      const link = await service().createLink({ amount: 20 });
      await mock.pay(link.id, { sendWebhooks: false });
      const tooMuch = await rejectionOf(
        service().refundPayment({ payId: link.id, refundAmount: 25 }),
      );
      expect(tooMuch).toMatchObject({ responseMessage: 'Invalid refund amount' });
      await service().refundPayment({ payId: link.id, refundAmount: 5 });
      const again = await rejectionOf(service().refundPayment({ payId: link.id, refundAmount: 5 }));
      expect(again.constructor).toBe(SecPaidApiError);
      expect(again).toMatchObject({ responseMessage: 'Refund already requested' });
      const missing = await rejectionOf(
        service().refundPayment({ payId: 424242, refundAmount: 1 }),
      );
      expect(missing).toBeInstanceOf(SecPaidNotFoundError);
    });

    it('"Link is cancelled" for a cancelled link (refund and delete)', async () => {
      const link = await service().createLink({ amount: 6 });
      await mock.cancel(link.id, { sendWebhooks: false });
      const refund = await rejectionOf(
        service().refundPayment({ payId: link.id, refundAmount: 1 }),
      );
      expect(refund.constructor).toBe(SecPaidApiError);
      expect(refund).toMatchObject({
        endpoint: 'refundPayment',
        responseMessage: 'Link is cancelled',
      });
      const removal = await rejectionOf(service().deleteLink(link.id));
      expect(removal).toMatchObject({
        endpoint: 'deleteLink',
        responseMessage: 'Link is cancelled',
      });
    });

    it('rejects bad input without a request', async () => {
      const error = await rejectionOf(
        service().refundPayment({ payId: -1, refundAmount: 0, fullRefund: 'yes' as never }),
      );
      expect((error as SecPaidValidationError).issues.map((i) => i.field)).toEqual([
        'payId',
        'refundAmount',
        'fullRefund',
      ]);
      expect(mock.requests).toHaveLength(0);
    });
  });

  describe('lists', () => {
    it('getMyUnusedLinks / getMyUsedLinks return models and send limit/search', async () => {
      const unused = await service().createLink({ amount: 7.5, note: 'find me' });
      const paid = await service().createLink({ amount: 8, note: 'paid one' });
      await mock.pay(paid.id, { sendWebhooks: false });

      const unusedList = await service().getMyUnusedLinks({ limit: 50, search: 'find' });
      expect(callsTo(mock.requests, 'getMyUnusedLinks')[0]!.body).toEqual({
        limit: 50,
        search: 'find',
      });
      expect(unusedList.map((l) => [l.id, l.amount, l.status])).toEqual([
        [unused.id, 7.5, 'Unused'],
      ]);

      const usedList = await service().getMyUsedLinks();
      expect(callsTo(mock.requests, 'getMyUsedLinks')[0]!.body).toEqual({});
      expect(usedList).toHaveLength(1);
      expect(usedList[0]).toMatchObject({ id: paid.id, amount: 8, note: 'paid one' });
      expect(usedList[0]!.paidAt).toBeInstanceOf(Date);
    });

    it('getPayInTransactions returns a page (defaults reported) and filters by payId', async () => {
      const link = await service().createLink({ amount: 12.34 });
      await mock.pay(link.id, { sendWebhooks: false });
      const all = await service().getPayInTransactions();
      expect(all).toMatchObject({ page: 1, limit: 200 });
      expect(all.items[0]).toMatchObject({ payId: link.id, amount: 12.34, status: 'Success' });
      expect(all.items[0]!.createdAt).toBeInstanceOf(Date);

      const one = await service().getPayInTransactions({
        payId: link.id,
        page: 1,
        limit: 5,
        since: 30,
      });
      expect(callsTo(mock.requests, 'getPayInTransactions')[1]!.body).toEqual({
        pay_id: link.id,
        page: 1,
        limit: 5,
        since: 30,
      });
      expect(one.items.map((t) => t.payId)).toEqual([link.id]);
    });

    it('getPayOutTransactions and getTaxInvoiceList map their queries and records', async () => {
      mock.seedPayout({ payoutAmount: 74.06, serviceFee: 0.73 });
      mock.seedTaxInvoice();
      const payouts = await service().getPayOutTransactions({
        startDate: '2020-01-01',
        endDate: '2099-12-31',
      });
      expect(callsTo(mock.requests, 'getPayOutTransactions')[0]!.body).toEqual({
        start_date: '2020-01-01',
        end_date: '2099-12-31',
      });
      expect(payouts).toMatchObject({ page: 1, limit: 10 });
      expect(payouts.items[0]).toMatchObject({ payoutAmount: 74.06, serviceFee: 0.73 });

      const invoices = await service().getTaxInvoiceList({ page: 1, limit: 12 });
      expect(invoices).toMatchObject({ page: 1, limit: 12 });
      expect(invoices.items[0]).toMatchObject({ totalSecPaidFee: 10.38, vat: 0 });
    });

    it.each([
      ['getMyUnusedLinks', { limit: 1001 }],
      ['getMyUsedLinks', { limit: 0 }],
      ['getPayInTransactions', { date: '26-05-20' }],
      ['getPayOutTransactions', { page: 0 }],
      ['getTaxInvoiceList', { date: '2026-5' }],
    ] as const)('%s rejects %j without a request', async (method, query) => {
      const call = (service()[method] as (q: object) => Promise<unknown>).bind(service());
      const error = await rejectionOf(call(query));
      expect(error).toBeInstanceOf(SecPaidValidationError);
      expect(error).toMatchObject({ endpoint: method });
      expect(mock.requests).toHaveLength(0);
    });
  });

  describe('authentication and per-call keys', () => {
    const everyMethod: Array<[string, (key: string) => Promise<unknown>]> = [
      ['createLink', (apiKey) => service().createLink({ amount: 1 }, { apiKey })],
      [
        'createSplitLink',
        (apiKey) =>
          service().createSplitLink(
            { amount: 1, recipients: [{ token: 'a', share: 1 }] },
            { apiKey },
          ),
      ],
      ['deleteLink', (apiKey) => service().deleteLink(1, { apiKey })],
      [
        'refundPayment',
        (apiKey) => service().refundPayment({ payId: 1, refundAmount: 1 }, { apiKey }),
      ],
      ['getMyUnusedLinks', (apiKey) => service().getMyUnusedLinks({}, { apiKey })],
      ['getMyUsedLinks', (apiKey) => service().getMyUsedLinks({}, { apiKey })],
      ['getPayInTransactions', (apiKey) => service().getPayInTransactions({}, { apiKey })],
      ['getPayOutTransactions', (apiKey) => service().getPayOutTransactions({}, { apiKey })],
      ['getTaxInvoiceList', (apiKey) => service().getTaxInvoiceList({}, { apiKey })],
      ['getTaxInvoiceList', (apiKey) => service().verifyApiKey({ apiKey })],
    ];

    it.each(everyMethod)(
      '%s: an unknown key is a SecPaidAuthenticationError',
      async (endpoint, call) => {
        const badKey = 'unknownKey0123456789ABCDEFGHIJ';
        const error = await rejectionOf(call(badKey));
        expect(error).toBeInstanceOf(SecPaidAuthenticationError);
        expect(error).toMatchObject({ endpoint });
        expect((error as SecPaidAuthenticationError).responseMessage).toMatch(/token/i);
        expect(mock.requests).toHaveLength(1);
        expect(mock.requests[0]!.headers['token']).toBe(badKey);
        expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(badKey);
        expect(JSON.stringify(error)).not.toContain(badKey);
      },
    );

    it('a malformed per-call key is a validation error and nothing is sent', async () => {
      const error = await rejectionOf(service().getMyUsedLinks({}, { apiKey: 'has space' }));
      expect(error).toBeInstanceOf(SecPaidValidationError);
      expect((error as SecPaidValidationError).issues).toEqual([
        {
          field: 'apiKey',
          message: 'must be a non-empty string without whitespace or control characters',
        },
      ]);
      expect(error.message).not.toContain('has space');
      expect(mock.requests).toHaveLength(0);
    });

    it('a bad per-call timeoutMs is a validation error', async () => {
      await expect(service().getMyUsedLinks({}, { timeoutMs: -5 })).rejects.toBeInstanceOf(
        SecPaidValidationError,
      );
      expect(mock.requests).toHaveLength(0);
    });

    it('a production key against the development mock fails like an invalid key', async () => {
      const error = await rejectionOf(service().verifyApiKey({ apiKey: mock.accounts[2]!.apiKey }));
      expect(error).toBeInstanceOf(SecPaidAuthenticationError);
    });

    it('apiKey overrides the key for one call only (the link belongs to the other account)', async () => {
      const other = mock.accounts[1]!;
      await service().createLink({ amount: 2 }, { apiKey: other.apiKey });
      await service().createLink({ amount: 3 });
      expect(mock.links.map((l) => l.userId)).toEqual([other.userId, mock.accounts[0]!.userId]);
    });
  });

  describe('verifyApiKey', () => {
    it('makes one getTaxInvoiceList {"page":1,"limit":1} call and reports the environment', async () => {
      const result = await service().verifyApiKey();
      expect(result).toEqual({
        valid: true,
        environment: 'development',
        latencyMs: expect.any(Number),
      });
      expect(mock.requests).toHaveLength(1);
      expect(callsTo(mock.requests, 'getTaxInvoiceList')[0]!.body).toEqual({ page: 1, limit: 1 });
    });

    it('is never retried, even on a retryable failure', async () => {
      mock.injectFault({ endpoint: 'getTaxInvoiceList', status: 503, times: 3 });
      await expect(service().verifyApiKey()).rejects.toMatchObject({ httpStatus: 503 });
      expect(mock.requests).toHaveLength(1);
    });
  });
});
