import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  SecPaidApiError,
  SecPaidAuthenticationError,
  SecPaidNotFoundError,
  SecPaidUnexpectedResponseError,
} from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import * as docs from '../support/secpaid-api.examples.js';
import {
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

/**
 * The JSON examples of docs/secpaid-api.md, served byte for byte by the mock (`injectFault({ body })`),
 * must parse to the values they show: every documented variant of every record.
 */
describe('documented example responses, served verbatim', () => {
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;
  const serve = (endpoint: string, body: string, status?: number): void =>
    mock.injectFault({ endpoint, body, ...(status ? { status } : {}) });

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    harness = await createServiceHarness(devOptions(mock.accounts[0]!.apiKey, mock.baseUrl));
  });
  afterAll(async () => {
    await harness?.close();
    await mock?.stop();
  });
  beforeEach(() => mock.reset());

  describe('createLink', () => {
    it('api/create-link as printed (cut off inside qr_img) is an unexpected response, not retried', async () => {
      serve('createLink', docs.CREATE_LINK_API);
      const error = await rejectionOf(harness.service.createLink({ amount: 25 }));
      expect(error).toBeInstanceOf(SecPaidUnexpectedResponseError);
      expect(error).toMatchObject({ endpoint: 'createLink', httpStatus: 200 });
      expect(mock.requests).toHaveLength(1);
    });

    it('api/create-link with its inferred ending: id, number amount, null recipients, string flags', async () => {
      serve('createLink', docs.complete(docs.CREATE_LINK_API, '=qr"'));
      const link = await harness.service.createLink({ amount: 25 });
      expect(link).toMatchObject({
        id: 99290,
        url: 'https://app.secpaid.com/payment?link_id=OTkyOTA=',
        amount: 25,
        note: 'Test regular link',
        status: 'Unused',
        isSplit: false,
        splitType: 'normal',
        recipients: [],
        bankTransfer: true,
        isQrLink: false,
        serviceFee: 1,
      });
      expect(link.createdAt!.toISOString()).toBe('2026-05-20T09:19:48.000Z');
      expect(link.raw['created_at']).toBe('2026-05-20 11:19:48');
    });

    it('api-doc/paths (new): linktopay_id and amount "100.00"', async () => {
      serve('createLink', docs.CREATE_LINK_PATHS_NEW);
      const link = await harness.service.createLink({ amount: 100 });
      expect(link).toMatchObject({
        id: 124,
        amount: 100,
        serviceFee: 1.5,
        transactionType: 'Basic',
      });
      expect(link.createdAt!.toISOString()).toBe('2024-10-26T14:18:01.000Z');
    });

    it('api-doc/paths (old): service_fee, recipient; as printed it is cut off', async () => {
      serve('createLink', docs.CREATE_LINK_PATHS_OLD);
      await expect(harness.service.createLink({ amount: 100 })).rejects.toBeInstanceOf(
        SecPaidUnexpectedResponseError,
      );
      serve(
        'createLink',
        docs.complete(docs.CREATE_LINK_PATHS_OLD, 'om/payment?link_id=MTI0&chs=300x300&cht=qr"'),
      );
      const link = await harness.service.createLink({ amount: 100 });
      expect(link).toMatchObject({ id: 124, amount: 100, serviceFee: 1.5, recipients: [] });
    });

    it('a success envelope with a record it cannot read is an unexpected response', async () => {
      serve(
        'createLink',
        '{"ResponseCode":1,"Result":"True","data":{"id":5,"amount":"abc","pay_link":"u"}}',
      );
      const error = await rejectionOf(harness.service.createLink({ amount: 1 }));
      expect(error).toBeInstanceOf(SecPaidUnexpectedResponseError);
      expect(error.message).toMatch(/createLink .*"amount"/);
      expect((error.cause as Error).name).toBe('WireFormatError');
      expect(mock.requests).toHaveLength(1);
    });

    it('errors page abbreviated example', async () => {
      serve('createLink', docs.CREATE_LINK_ERRORS_PAGE);
      const link = await harness.service.createLink({ amount: 49.99 });
      expect(link).toMatchObject({ id: 12345, amount: 49.99, qrCodeUrl: undefined });
    });

    it('errors page generic error "Amount is required" is a SecPaidApiError', async () => {
      serve('createLink', docs.GENERIC_ERROR);
      const error = await rejectionOf(harness.service.createLink({ amount: 1 }));
      expect(error.constructor).toBe(SecPaidApiError);
      expect(error).toMatchObject({ responseMessage: 'Amount is required', httpStatus: 200 });
    });

    it('the documented auth error is a SecPaidAuthenticationError even with HTTP 200', async () => {
      serve('createLink', docs.AUTH_ERROR);
      await expect(harness.service.createLink({ amount: 1 })).rejects.toBeInstanceOf(
        SecPaidAuthenticationError,
      );
    });
  });

  describe('createSplitLink', () => {
    it('recipients as a JSON-encoded string (the example completed with its pay_link)', async () => {
      serve('createSplitLink', docs.CREATE_SPLIT_LINK_API);
      await expect(
        harness.service.createSplitLink({ amount: 35.39, recipients: [{ token: 'x', share: 10 }] }),
      ).rejects.toBeInstanceOf(SecPaidUnexpectedResponseError);
      serve(
        'createSplitLink',
        docs.complete(
          docs.CREATE_SPLIT_LINK_API,
          '\n    "id": 99289,\n    "pay_link": "https://app.secpaid.com/payment?link_id=OTkyODk="',
        ),
      );
      const link = await harness.service.createSplitLink({
        amount: 35.39,
        recipients: [{ token: 'testuser-a', share: 10 }],
      });
      expect(link).toMatchObject({
        id: 99289,
        amount: 35.39,
        isSplit: true,
        recipients: [{ token: 'testuser-a', share: 10 }],
      });
    });
  });

  describe('deleteLink and refundPayment', () => {
    it('deleteLink success (no data) and "Invalid link ID"', async () => {
      serve('deleteLink', docs.DELETE_LINK_SUCCESS);
      await expect(harness.service.deleteLink(12345)).resolves.toBeUndefined();
      serve('deleteLink', docs.DELETE_LINK_INVALID_ID);
      const error = await rejectionOf(harness.service.deleteLink(12345));
      expect(error).toBeInstanceOf(SecPaidNotFoundError);
    });

    it.each([
      [
        docs.REFUND_SUCCESS_API,
        'Refund request has been sent successfully, You will get update within 5-10 days',
      ],
      [docs.REFUND_SUCCESS_HOWTO, 'Refund request submitted successfully'],
    ])('refundPayment success wording variant %#', async (body, message) => {
      serve('refundPayment', body);
      const refund = await harness.service.refundPayment({ payId: 12345, refundAmount: 20 });
      expect(refund).toMatchObject({ payId: 12345, refundAmount: 20, status: 'Pending', message });
    });

    it('"Please enter refund_amount" is a SecPaidApiError', async () => {
      serve('refundPayment', docs.REFUND_MISSING_AMOUNT);
      const error = await rejectionOf(
        harness.service.refundPayment({ payId: 12345, refundAmount: 20 }),
      );
      expect(error).toMatchObject({ responseMessage: 'Please enter refund_amount' });
    });
  });

  describe('lists', () => {
    it('getPayInTransactions: api page (creator_id, payment_method null)', async () => {
      serve('getPayInTransactions', docs.PAY_IN_API);
      const page = await harness.service.getPayInTransactions();
      expect(page).toMatchObject({ page: 1, limit: 200 });
      expect(page.total).toBeUndefined();
      expect(page.items.map((t) => [t.payId, t.amount, t.netAmount, t.transactionType])).toEqual([
        [99296, 88.19, 84.71, 'Basic'],
        [99298, 55.25, 53.13, 'Split'],
      ]);
      expect(page.items[0]).toMatchObject({
        creatorId: '8654bacd-3d54-4010-069f-3fd9f4436b2',
        paymentMethod: null,
        pspFee: 3.15,
        isSplit: false,
      });
    });

    it('getPayInTransactions: new how-to (transaction_id, negative fee) and old how-to (totalRecords)', async () => {
      serve('getPayInTransactions', docs.PAY_IN_HOWTO_NEW);
      const fresh = await harness.service.getPayInTransactions({ limit: 10 });
      expect(fresh.items[0]).toMatchObject({
        transactionId: '20241026-pi-QRxbbs7z9n',
        serviceFee: -0.1,
        paymentMethod: 'card',
      });
      serve('getPayInTransactions', docs.PAY_IN_HOWTO_OLD);
      const old = await harness.service.getPayInTransactions({ page: 2, limit: 10 });
      expect(old).toMatchObject({ page: 2, limit: 10, total: 7 });
      expect(old.items[0]).toMatchObject({ payId: 42011, isDispute: undefined });
    });

    it('getPayOutTransactions', async () => {
      serve('getPayOutTransactions', docs.PAY_OUT_API);
      const page = await harness.service.getPayOutTransactions();
      expect(page.items[0]).toMatchObject({
        payoutId: 21503,
        payoutAmount: 74.06,
        serviceFee: 0.73,
        netAmount: 71.53,
        payoutStatus: 'InProgress',
        requestDate: '2026-05-12',
      });
      expect(page.items[0]!.createdAt!.toISOString()).toBe('2026-05-20T00:01:14.000Z');
    });

    it('getMyUnusedLinks: string ids, "No" is_cancelled, recipients null or JSON string', async () => {
      serve('getMyUnusedLinks', docs.UNUSED_LINKS_API);
      const links = await harness.service.getMyUnusedLinks();
      expect(links.map((l) => [l.id, l.amount, l.isSplit, l.recipients, l.isCancelled])).toEqual([
        [99290, 25, false, [], false],
        [99289, 35.39, true, [{ token: 'testuser-a', share: 10 }], false],
      ]);
    });

    it('getMyUsedLinks: paid_on as a Berlin-time Date', async () => {
      serve('getMyUsedLinks', docs.USED_LINKS_API);
      const links = await harness.service.getMyUsedLinks();
      expect(links.map((l) => [l.id, l.amount, l.paidAt!.toISOString()])).toEqual([
        [99250, 72.96, '2026-05-12T18:10:17.000Z'],
        [99248, 5, '2026-05-12T04:54:17.000Z'],
      ]);
      expect(links[1]!.recipients).toEqual([{ token: 'testuser-a', share: 4.9 }]);
    });

    it('getTaxInvoiceList: totalRecords becomes total', async () => {
      serve('getTaxInvoiceList', docs.TAX_INVOICE_API);
      const page = await harness.service.getTaxInvoiceList({ page: 1, limit: 12 });
      expect(page).toMatchObject({ page: 1, limit: 12, total: 18 });
      expect(page.items[0]).toMatchObject({
        id: 178,
        invoiceId: '202604-sf-oS5TYzrGXF',
        totalSecPaidFee: 10.38,
        totalPspFee: 245.15,
        vat: 0,
        city: 'Berlin',
      });
    });
  });
});
