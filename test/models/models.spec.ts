import { describe, expect, it } from '@jest/globals';
import { parseBerlinTimestamp } from '../../lib/models/wire-value.util.js';
import { parsePaidLink } from '../../lib/models/paid-link.model.js';
import { pageOf } from '../../lib/models/page.model.js';
import { parsePayInTransaction } from '../../lib/models/pay-in-transaction.model.js';
import { parsePayOutTransaction } from '../../lib/models/pay-out-transaction.model.js';
import { parsePaymentLink } from '../../lib/models/payment-link.model.js';
import { parseTaxInvoice } from '../../lib/models/tax-invoice.model.js';
import * as docs from '../support/secpaid-api.examples.js';

const data = (json: string): unknown => (JSON.parse(json) as { data: unknown }).data;
const items = (json: string): unknown[] => data(json) as unknown[];

describe('parseBerlinTimestamp (Europe/Berlin wall clock, no offset on the wire)', () => {
  it.each([
    ['2026-05-20 11:19:48', '2026-05-20T09:19:48.000Z'], // CEST, UTC+2
    ['2024-01-15 12:00:00', '2024-01-15T11:00:00.000Z'], // CET, UTC+1
    ['2026-03-29 01:59:59', '2026-03-29T00:59:59.000Z'], // last second before spring forward
    ['2026-03-29 03:00:00', '2026-03-29T01:00:00.000Z'], // first second after
    ['2026-10-25 01:59:59', '2026-10-24T23:59:59.000Z'], // still summer time
    ['2026-10-25 02:30:00', '2026-10-25T00:30:00.000Z'], // ambiguous hour: the earlier instant
    ['2026-10-25 03:00:00', '2026-10-25T02:00:00.000Z'], // winter time again
  ])('%s -> %s', (text, iso) => {
    expect(parseBerlinTimestamp(text)?.toISOString()).toBe(iso);
  });

  it('rejects anything that is not YYYY-MM-DD HH:MM:SS', () => {
    expect(parseBerlinTimestamp('20.05.2026 11:19')).toBeUndefined();
    expect(parseBerlinTimestamp('2026-05-20')).toBeUndefined();
  });
});

describe('parsePaymentLink: every documented createLink / list variant', () => {
  it('api/create-link (id, number amount, recipients null, servicefee)', () => {
    const link = parsePaymentLink(data(docs.complete(docs.CREATE_LINK_API, '=qr"')));
    expect(link).toMatchObject({
      id: 99290,
      url: 'https://app.secpaid.com/payment?link_id=OTkyOTA=',
      qrCodeUrl:
        'https://quickchart.io/chart?chl=https://app.secpaid.com/payment?link_id=OTkyOTA=&chs=300x300&cht=qr',
      amount: 25,
      note: 'Test regular link',
      status: 'Unused',
      isSplit: false,
      splitType: 'normal',
      recipients: [],
      serviceFee: 1,
      bankTransfer: true,
      isQrLink: false,
      callbackUrl: 'https://google.com',
      paymentEndpoint: 'https://google.com',
      userId: 'b44c4429-4a7b-4e27-85af-c1c2f43f4ffe',
    });
    expect(link.createdAt?.toISOString()).toBe('2026-05-20T09:19:48.000Z');
    expect(link.raw['created_at']).toBe('2026-05-20 11:19:48');
    expect(link.raw['is_cancellation']).toBe('No');
  });

  it('api-doc/paths new (linktopay_id, "100.00", transaction_type)', () => {
    const link = parsePaymentLink(data(docs.CREATE_LINK_PATHS_NEW));
    expect(link).toMatchObject({
      id: 124,
      amount: 100,
      serviceFee: 1.5,
      transactionType: 'Basic',
      bankTransfer: false,
      paymentEndpoint: 'https://yourapp.com/webhook',
    });
    expect(link.createdAt?.toISOString()).toBe('2024-10-26T14:18:01.000Z');
  });

  it('api-doc/paths old (service_fee, recipient, malformed callback_url kept as sent)', () => {
    const json = docs.complete(
      docs.CREATE_LINK_PATHS_OLD,
      'om/payment?link_id=MTI0&chs=300x300&cht=qr"',
    );
    const link = parsePaymentLink(data(json));
    expect(link).toMatchObject({
      id: 124,
      amount: 100,
      serviceFee: 1.5,
      recipients: [],
      callbackUrl: 'https//secpaid.com',
      url: 'https://app.dev.secpaid.com/payment?link_id=MTI0',
    });
  });

  it('errors page abbreviated example (only linktopay_id, pay_link, amount)', () => {
    const link = parsePaymentLink(data(docs.CREATE_LINK_ERRORS_PAGE));
    expect(link).toMatchObject({ id: 12345, amount: 49.99, status: 'Unused', isSplit: false });
    expect(link.qrCodeUrl).toBeUndefined();
    expect(link.createdAt).toBeUndefined();
  });

  it('api/create-split-link (recipients as a JSON string)', () => {
    const json = docs.complete(
      docs.CREATE_SPLIT_LINK_API,
      '\n    "id": 99289,\n    "pay_link": "https://app.secpaid.com/payment?link_id=OTkyODk="',
    );
    const link = parsePaymentLink(data(json));
    expect(link).toMatchObject({
      id: 99289,
      amount: 35.39,
      isSplit: true,
      splitType: 'normal',
      recipients: [{ token: 'testuser-a', share: 10 }],
    });
  });

  it('getMyUnusedLinks (string ids, "Yes"/"No" is_cancelled, null or string recipients)', () => {
    const [basic, split] = items(docs.UNUSED_LINKS_API).map((item) => parsePaymentLink(item));
    expect(basic).toMatchObject({
      id: 99290,
      amount: 25,
      isCancelled: false,
      recipients: [],
      status: 'Unused',
      transactionType: 'Basic',
    });
    expect(split).toMatchObject({
      id: 99289,
      amount: 35.39,
      isSplit: true,
      recipients: [{ token: 'testuser-a', share: 10 }],
    });
  });

  it('derives the id from pay_link when neither id nor linktopay_id is sent', () => {
    const link = parsePaymentLink({ pay_link: 'https://x/payment?link_id=OTkyOTA=', amount: '1' });
    expect(link.id).toBe(99290);
  });

  it('throws on a record it cannot read (no pay_link, non-numeric amount, bad recipients)', () => {
    expect(() => parsePaymentLink({ id: 1, amount: 1 })).toThrow('pay_link');
    expect(() => parsePaymentLink({ id: 1, pay_link: 'u', amount: 'abc' })).toThrow('amount');
    expect(() => parsePaymentLink({ id: 1, pay_link: 'u', amount: 1, recipients: '[{' })).toThrow(
      'recipients',
    );
    expect(() => parsePaymentLink('nope')).toThrow('data');
  });
});

describe('parsePaidLink (getMyUsedLinks)', () => {
  it('parses paid_on and JSON-string recipients with decimal shares', () => {
    const [first, second] = items(docs.USED_LINKS_API).map(parsePaidLink);
    expect(first).toMatchObject({
      id: 99250,
      amount: 72.96,
      isSplit: true,
      recipients: [{ token: 'asdf', share: 2 }],
      transactionType: 'Split',
    });
    expect(first!.paidAt?.toISOString()).toBe('2026-05-12T18:10:17.000Z');
    expect(second!.recipients).toEqual([{ token: 'testuser-a', share: 4.9 }]);
    expect(second!.raw['paid_on']).toBe('2026-05-12 06:54:17');
  });
});

describe('parsePayInTransaction: the three documented variants', () => {
  it('api page (creator_id, no transaction_id, payment_method null)', () => {
    const [first, second] = items(docs.PAY_IN_API).map(parsePayInTransaction);
    expect(first).toMatchObject({
      payId: 99296,
      creatorId: '8654bacd-3d54-4010-069f-3fd9f4436b2',
      transactionId: undefined,
      amount: 88.19,
      netAmount: 84.71,
      serviceFee: 1.33,
      pspFee: 3.15,
      status: 'Success',
      payoutStatus: 'Pending',
      isSplit: false,
      isDispute: false,
      isRefund: false,
      paymentMethod: null,
      transactionType: 'Basic',
    });
    expect(first!.createdAt?.toISOString()).toBe('2026-05-20T16:56:08.000Z');
    expect(second).toMatchObject({ payId: 99298, isSplit: true, transactionType: 'Split' });
  });

  it('new how-to (transaction_id, negative service fee, card)', () => {
    const [tx] = items(docs.PAY_IN_HOWTO_NEW).map(parsePayInTransaction);
    expect(tx).toMatchObject({
      payId: 42011,
      transactionId: '20241026-pi-QRxbbs7z9n',
      serviceFee: -0.1,
      paymentMethod: 'card',
    });
  });

  it('old how-to (no is_dispute / is_refund / payment_method; totalRecords)', () => {
    const envelope = JSON.parse(docs.PAY_IN_HOWTO_OLD) as Record<string, unknown>;
    const page = pageOf(envelope, parsePayInTransaction, 1, 200);
    expect(page.total).toBe(7);
    expect(page.items[0]).toMatchObject({
      payId: 42011,
      isDispute: undefined,
      isRefund: undefined,
      paymentMethod: undefined,
    });
  });
});

describe('parsePayOutTransaction and parseTaxInvoice', () => {
  it('payout: string payout_amount, number fees, request_date kept as a date string', () => {
    const [payout] = items(docs.PAY_OUT_API).map(parsePayOutTransaction);
    expect(payout).toMatchObject({
      payoutId: 21503,
      transactionId: '20260512-po-tYlGbn74wT',
      payoutAmount: 74.06,
      serviceFee: 0.73,
      netAmount: 71.53,
      payoutStatus: 'InProgress',
      requestDate: '2026-05-12',
      isSplit: true,
    });
    expect(payout!.createdAt?.toISOString()).toBe('2026-05-20T00:01:14.000Z');
  });

  it('tax invoice: sf_id string -> number, fees, totalRecords as page total', () => {
    const envelope = JSON.parse(docs.TAX_INVOICE_API) as Record<string, unknown>;
    const page = pageOf(envelope, parseTaxInvoice, 1, 10);
    expect(page).toMatchObject({ page: 1, limit: 10, total: 18 });
    expect(page.items[0]).toMatchObject({
      id: 178,
      invoiceId: '202604-sf-oS5TYzrGXF',
      invoiceDate: '2026-05-01',
      serviceMonth: 'April 2026',
      totalSecPaidFee: 10.38,
      totalPspFee: 245.15,
      vat: 0,
      street: 'Musterstraße',
      houseNo: '1',
      zipcode: '10115',
    });
  });
});
