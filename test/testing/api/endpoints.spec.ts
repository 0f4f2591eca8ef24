import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import { callApi, callApiForm, dataOf, listOf } from '../../support/mock-api.client.js';

const KEY = 'ownerKey0123456789abcdefghijklmn';
const OTHER_KEY = 'otherKey0123456789abcdefghijklmn';
const OWNER_TOKEN = 'owner-token';

describe('SecPaidMockServer endpoints', () => {
  let mock: SecPaidMockServer;
  const call = (endpoint: string, body: unknown = {}, key = KEY) =>
    callApi(mock.baseUrl, endpoint, body, key);
  const expectError = async (endpoint: string, body: unknown, message: string, key = KEY) => {
    const result = await call(endpoint, body, key);
    expect(result.status).toBe(400);
    expect(result.json).toEqual({
      ResponseCode: 0,
      ResponseMsg: message,
      Result: 'False',
      ServerTime: expect.any(String),
    });
  };
  const createLink = async (body: Record<string, unknown> = {}): Promise<number> =>
    dataOf(await call('createLink', { amount: 10, ...body })).id as number;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({
      accounts: [
        { apiKey: KEY, recipientToken: OWNER_TOKEN },
        { apiKey: OTHER_KEY, recipientToken: 'testuser-a' },
      ],
      recipientTokens: ['receivera'],
      rateLimit: false,
    });
  });
  afterAll(async () => {
    await mock.stop();
  });
  beforeEach(() => mock.reset());

  describe('createLink validation', () => {
    it('requires an amount', async () => {
      await expectError('createLink', { recipient_note: 'x' }, 'Amount is required');
      await expectError('createLink', { amount: '' }, 'Amount is required');
    });
    it('rejects amounts <= 0 and non-numeric amounts', async () => {
      await expectError('createLink', { amount: 0 }, 'Amount must be greater than 0');
      await expectError('createLink', { amount: -5 }, 'Amount must be greater than 0');
      await expectError('createLink', { amount: 'abc' }, 'Invalid amount');
      expect(mock.links).toHaveLength(0);
    });
    it('rejects a per-link encryption key that is not 32 characters', async () => {
      await expectError(
        'createLink',
        { amount: 1, is_encryption: 'true', encryption_key: 'short' },
        'encryption_key must be 32 characters',
      );
    });
    it('echoes payment_endpoint and callback_url, falling back to the account lists', async () => {
      mock.accounts[0].paymentEndpoints.push('https://hooks.example/a');
      mock.accounts[0].callbackUrls.push('https://shop.example/cb');
      try {
        const fallback = dataOf(await call('createLink', { amount: 1 }));
        expect(fallback).toMatchObject({
          paymentEndpoint: 'https://hooks.example/a',
          callback_url: 'https://shop.example/cb',
        });
        const explicit = dataOf(
          await call('createLink', {
            amount: 1,
            payment_endpoint: '0,https://x.example/h',
            callback_url: '0',
          }),
        );
        expect(explicit).toMatchObject({
          paymentEndpoint: '0,https://x.example/h',
          callback_url: '0',
        });
      } finally {
        mock.accounts[0].paymentEndpoints.length = 0;
        mock.accounts[0].callbackUrls.length = 0;
      }
    });
  });

  describe('createSplitLink', () => {
    it('returns recipients as a JSON-encoded string and is_split_link "true"', async () => {
      const result = await call('createSplitLink', {
        amount: 35.39,
        recipient_note: 'Test-Ala',
        split_type: 'normal',
        recipients: [{ token: 'testuser-a', share: 10 }],
      });
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ ResponseCode: 1, Result: 'True' });
      expect(dataOf(result)).toMatchObject({
        amount: 35.39,
        recipient_note: 'Test-Ala',
        status: 'Unused',
        servicefee: '1.0',
        recipients: '[{"token":"testuser-a","share":10}]',
        is_split_link: 'true',
        split_type: 'normal',
        id: expect.any(Number),
      });
      const [listed] = listOf(await call('getMyUnusedLinks'));
      expect(listed).toMatchObject({
        is_split_link: 'true',
        transaction_type: 'Split',
        recipients: '[{"token":"testuser-a","share":10}]',
      });
    });
    it('accepts absolute splits up to the amount and extra recipient tokens', async () => {
      const result = await call('createSplitLink', {
        amount: 100,
        split_type: 'absolute',
        recipients: [
          { token: 'testuser-a', share: 50 },
          { token: 'receivera', share: 50 },
        ],
      });
      expect(result.status).toBe(200);
      expect(dataOf(result).split_type).toBe('absolute');
    });
    it('accepts recipients as form bracket keys', async () => {
      const result = await callApiForm(
        mock.baseUrl,
        'createSplitLink',
        { amount: '20', 'recipients[0][token]': 'testuser-a', 'recipients[0][share]': '25' },
        KEY,
      );
      expect(result.status).toBe(200);
      expect(dataOf(result).recipients).toBe('[{"token":"testuser-a","share":25}]');
    });
    it('rejects an unknown recipient token with its zero-based index', async () => {
      await expectError(
        'createSplitLink',
        {
          amount: 10,
          recipients: [
            { token: 'testuser-a', share: 10 },
            { token: 'nobody', share: 10 },
          ],
        },
        'Invalid recipient token at index 1',
      );
    });
    it('rejects the owner token in recipients', async () => {
      await expectError(
        'createSplitLink',
        { amount: 10, recipients: [{ token: OWNER_TOKEN, share: 10 }] },
        'You cannot add your own recipient token',
      );
    });
    it('rejects normal shares over 100 and absolute shares over the amount', async () => {
      await expectError(
        'createSplitLink',
        {
          amount: 10,
          split_type: 'normal',
          recipients: [
            { token: 'testuser-a', share: 60 },
            { token: 'receivera', share: 40.01 },
          ],
        },
        'Total share must not exceed 100',
      );
      await expectError(
        'createSplitLink',
        { amount: 10, split_type: 'absolute', recipients: [{ token: 'testuser-a', share: 10.01 }] },
        'Total share must not exceed the amount',
      );
    });
    it('requires an amount and recipients', async () => {
      await expectError(
        'createSplitLink',
        { recipients: [{ token: 'testuser-a', share: 1 }] },
        'Amount is required',
      );
      await expectError('createSplitLink', { amount: 10 }, 'Recipients are required');
    });
  });

  describe('deleteLink', () => {
    it('deletes an unused link', async () => {
      const id = await createLink();
      const result = await call('deleteLink', { link_id: id });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({
        ResponseCode: 1,
        ResponseMsg: 'Link has been deleted successfully',
        Result: 'True',
        ServerTime: expect.any(String),
      });
      expect(mock.links[0].status).toBe('Deleted');
      expect(listOf(await call('getMyUnusedLinks'))).toHaveLength(0);
      const page = await fetch(mock.links[0].payLink);
      expect(page.status).toBe(404);
      await page.text();
    });
    it("reports a missing link_id, an unknown link and another user's link", async () => {
      await expectError('deleteLink', {}, 'Please enter link_id');
      await expectError('deleteLink', { link_id: 424242 }, 'Invalid link ID');
      const id = await createLink();
      await expectError('deleteLink', { link_id: id }, 'Invalid link ID', OTHER_KEY);
      await call('deleteLink', { link_id: id });
      await expectError('deleteLink', { link_id: id }, 'Invalid link ID');
    });
    it('refuses to delete a paid link', async () => {
      const id = await createLink();
      await mock.pay(id);
      await expectError('deleteLink', { link_id: id }, 'This link is already used');
    });
  });

  describe('refundPayment', () => {
    it('creates one Pending refund request for a paid link', async () => {
      const id = await createLink({ amount: 49.99 });
      await mock.pay(id);
      const result = await call('refundPayment', {
        pay_id: id,
        refund_amount: 20,
        isFullRefund: false,
      });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({
        ResponseCode: 1,
        ResponseMsg:
          'Refund request has been sent successfully, You will get update within 5-10 days',
        Result: 'True',
        ServerTime: expect.any(String),
      });
      expect(mock.refunds).toEqual([
        expect.objectContaining({ payId: id, amount: 20, status: 'Pending', isFullRefund: false }),
      ]);
      await expectError(
        'refundPayment',
        { pay_id: id, refund_amount: 5 },
        'Refund already requested',
      );
    });
    it('settleRefund() approves a refund: a negative Refund pay-in appears', async () => {
      const id = await createLink({ amount: 30 });
      await mock.pay(id);
      await call('refundPayment', { pay_id: id, refund_amount: 12.5 });
      expect(mock.settleRefund(mock.refunds[0].refundId, 'Approved').status).toBe('Approved');
      const entries = listOf(await call('getPayInTransactions', { pay_id: id }));
      expect(entries.map((e) => [e.amount, e.transaction_type, e.is_refund]).sort()).toEqual([
        ['-12.50', 'Refund', 'true'],
        ['30.00', 'Basic', 'false'],
      ]);
      expect(() => mock.settleRefund(mock.refunds[0].refundId, 'Rejected')).toThrow(/Approved/);
      await expectError(
        'refundPayment',
        { pay_id: id, refund_amount: 1 },
        'Refund already requested',
      );
    });

    it('accepts the form-style refund from how-to/refund', async () => {
      const id = await createLink({ amount: 25 });
      await mock.pay(id);
      const result = await callApiForm(
        mock.baseUrl,
        'refundPayment',
        { pay_id: String(id), refund_amount: '25.00', isFullRefund: 'true' },
        KEY,
      );
      expect(result.status).toBe(200);
      expect(mock.refunds[0]).toMatchObject({ amount: 25, isFullRefund: true });
    });
    it('validates pay_id, refund_amount and the amount range', async () => {
      const id = await createLink({ amount: 10 });
      await mock.pay(id);
      await expectError('refundPayment', { refund_amount: 1 }, 'Please enter pay_id');
      await expectError('refundPayment', { pay_id: id }, 'Please enter refund_amount');
      await expectError('refundPayment', { pay_id: id, refund_amount: 0 }, 'Invalid refund amount');
      await expectError(
        'refundPayment',
        { pay_id: id, refund_amount: -1 },
        'Invalid refund amount',
      );
      await expectError(
        'refundPayment',
        { pay_id: id, refund_amount: 10.01 },
        'Invalid refund amount',
      );
      await expectError('refundPayment', { pay_id: 999999, refund_amount: 1 }, 'Invalid link ID');
      await expectError(
        'refundPayment',
        { pay_id: id, refund_amount: 1 },
        'Invalid link ID',
        OTHER_KEY,
      );
      expect(mock.refunds).toHaveLength(0);
    });
    it('refuses a cancelled link and an unpaid link', async () => {
      const cancelled = await createLink();
      await mock.cancel(cancelled);
      await expectError(
        'refundPayment',
        { pay_id: cancelled, refund_amount: 1 },
        'Link is cancelled',
      );
      const unpaid = await createLink();
      await expectError(
        'refundPayment',
        { pay_id: unpaid, refund_amount: 1 },
        'Link is not paid yet',
      );
    });
  });

  describe('lists', () => {
    it('getMyUsedLinks shows paid links with paid_on and no pay_link', async () => {
      const id = await createLink({ amount: 72.96, recipient_note: 'Order 1' });
      await createLink({ recipient_note: 'unpaid' });
      await mock.pay(id);
      const result = await call('getMyUsedLinks', { limit: 50 });
      expect(result.json).toMatchObject({
        ResponseCode: 1,
        ResponseMsg: 'List retrived successfully',
        Result: 'True',
      });
      expect(listOf(result)).toEqual([
        {
          linktopay_id: String(id),
          user_id: mock.accounts[0].userId,
          recipient_note: 'Order 1',
          amount: '72.96',
          is_cancelled: 'No',
          recipients: null,
          is_split_link: 'false',
          paid_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
          transaction_type: 'Basic',
        },
      ]);
      expect(listOf(await call('getMyUnusedLinks')).map((l) => l.recipient_note)).toEqual([
        'unpaid',
      ]);
    });

    it("link lists default to 10, honour limit and search, and show only the caller's links", async () => {
      for (let i = 0; i < 12; i++)
        await createLink({ recipient_note: i % 2 ? `Order ${i}` : `Invoice ${i}` });
      await call('createLink', { amount: 1, recipient_note: 'Order other' }, OTHER_KEY);
      expect(listOf(await call('getMyUnusedLinks'))).toHaveLength(10);
      expect(listOf(await call('getMyUnusedLinks', { limit: 3 }))).toHaveLength(3);
      const orders = listOf(await call('getMyUnusedLinks', { search: 'order', limit: 100 }));
      expect(orders).toHaveLength(6);
      expect(listOf(await call('getMyUnusedLinks', {}, OTHER_KEY))).toHaveLength(1);
    });

    it('cancelled links stay in the unused list with is_cancelled "Yes"', async () => {
      const id = await createLink();
      await mock.cancel(id);
      expect(listOf(await call('getMyUnusedLinks'))[0]).toMatchObject({
        linktopay_id: String(id),
        is_cancelled: 'Yes',
      });
    });

    it('getPayInTransactions returns documented pay-in records and filters by pay_id, search and date', async () => {
      const first = await createLink({ amount: 88.19, recipient_note: 'Order TEST2026013557' });
      const second = await createLink({ amount: 55.25, recipient_note: 'Payment for Order #CNF' });
      await mock.pay(first);
      await mock.pay(second, { method: 'Bank Transfer' });
      const all = await call('getPayInTransactions');
      expect(all.json).toMatchObject({
        ResponseCode: 1,
        ResponseMsg: 'List retrived successfully',
        totalRecords: 2,
      });
      const record = listOf(await call('getPayInTransactions', { pay_id: first }))[0];
      expect(record).toEqual({
        pay_id: String(first),
        user_id: mock.accounts[0].userId,
        transaction_id: expect.stringMatching(/^\d{8}-pi-[A-Za-z0-9]{10}$/),
        amount: '88.19',
        net_amount: expect.stringMatching(/^\d+\.\d{2}$/),
        service_fee: expect.stringMatching(/^-?\d+\.\d{2}$/),
        service_fee_psp: expect.stringMatching(/^\d+\.\d{2}$/),
        status: 'Success',
        recipient_note: 'Order TEST2026013557',
        payout_status: 'Pending',
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
        is_split_link: 'false',
        is_dispute: 'false',
        is_refund: 'false',
        payment_method: 'card',
        transaction_type: 'Basic',
      });
      const fees =
        Number(record.service_fee) + Number(record.service_fee_psp) + Number(record.net_amount);
      expect(fees.toFixed(2)).toBe('88.19');
      expect(
        listOf(await call('getPayInTransactions', { search: 'bank transfer' })).map(
          (r) => r.pay_id,
        ),
      ).toEqual([String(second)]);
      const today = (record.created_at as string).slice(0, 10);
      expect(listOf(await call('getPayInTransactions', { date: today }))).toHaveLength(2);
      expect(listOf(await call('getPayInTransactions', { date: '2000-01-01' }))).toHaveLength(0);
      expect(listOf(await call('getPayInTransactions', { since: 1 }))).toHaveLength(2);
      const paged = await call('getPayInTransactions', { page: 2, limit: 1 });
      expect(listOf(paged)).toHaveLength(1);
      expect(paged.json.totalRecords).toBe(2);
    });

    it('getPayOutTransactions lists seeded payouts with the documented types', async () => {
      mock.seedPayout({
        requestDate: '2026-05-12',
        payoutAmount: 74.06,
        serviceFee: 0.73,
        netAmount: 71.53,
      });
      mock.seedPayout({ requestDate: '2026-05-13' });
      const result = await call('getPayOutTransactions', {
        start_date: '2026-05-12',
        end_date: '2026-05-12',
      });
      expect(result.json).toMatchObject({
        ResponseCode: 1,
        ResponseMsg: 'List retrived successfully',
      });
      expect(listOf(result)).toEqual([
        {
          payout_id: expect.stringMatching(/^\d+$/),
          user_id: mock.accounts[0].userId,
          transaction_id: expect.stringMatching(/^\d{8}-po-[A-Za-z0-9]{10}$/),
          payout_amount: '74.06',
          service_fee: 0.73,
          net_amount: 71.53,
          payout_status: 'InProgress',
          request_date: '2026-05-12',
          created_at: expect.any(String),
          is_split_link: 'false',
          is_dispute: 'false',
          is_refund: 'false',
          transaction_type: 'Basic',
        },
      ]);
      expect(listOf(await call('getPayOutTransactions'))).toHaveLength(2);
      const txId = mock.payouts[1].transactionId;
      expect(listOf(await call('getPayOutTransactions', { search: txId }))).toHaveLength(1);
    });

    it('getTaxInvoiceList lists seeded invoices, filters by month and pages with totalRecords', async () => {
      mock.seedTaxInvoice({ invoiceDate: '2026-05-01', serviceMonth: 'April 2026' });
      mock.seedTaxInvoice({ invoiceDate: '2026-04-01', serviceMonth: 'March 2026' });
      mock.seedTaxInvoice({ invoiceDate: '2026-03-01', serviceMonth: 'February 2026' });
      const result = await call('getTaxInvoiceList', { page: 1, limit: 2 });
      expect(result.json).toMatchObject({
        ResponseCode: 1,
        ResponseMsg: 'List retrived successfully',
        totalRecords: 3,
      });
      expect(listOf(result)).toHaveLength(2);
      expect(listOf(await call('getTaxInvoiceList', { date: '2026-04' }))).toEqual([
        {
          sf_id: expect.stringMatching(/^\d+$/),
          user_id: mock.accounts[0].userId,
          company: 'Acme GmbH',
          name: 'Max Mustermann',
          street: 'Musterstraße',
          house_no: '1',
          city: 'Berlin',
          country: 'Germany',
          zipcode: '10115',
          invoice_id: expect.stringMatching(/^202604-sf-[A-Za-z0-9]{10}$/),
          invoice_date: '2026-04-01',
          service_month: 'March 2026',
          total_secpaid_fee: 10.38,
          total_psp_fee: 245.15,
          vat: 0,
          created_at: expect.any(String),
        },
      ]);
      expect(listOf(await call('getTaxInvoiceList', {}, OTHER_KEY))).toHaveLength(0);
    });
  });

  describe('routing and bodies', () => {
    it('answers 404 for unknown endpoints and 405 for non-POST calls', async () => {
      expect((await call('getEverything')).status).toBe(404);
      const get = await fetch(`${mock.baseUrl}/api/v2/getMyUnusedLinks`, {
        headers: { token: KEY },
      });
      expect(get.status).toBe(405);
      expect(await get.json()).toMatchObject({ ResponseCode: 0, Result: 'False' });
    });
    it('answers 400 with an envelope for malformed JSON', async () => {
      const response = await fetch(`${mock.baseUrl}/api/v2/createLink`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', token: KEY },
        body: '{"amount":',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ ResponseCode: 0, Result: 'False' });
    });
  });
});
