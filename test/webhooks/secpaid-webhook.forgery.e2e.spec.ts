import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer, type MockPayIn } from '../../lib/testing/index.js';
import { SECPAID_WEBHOOK_INVALID_MESSAGE } from '../../lib/secpaid.constants.js';
import { FORM_TYPE, JSON_TYPE, formBody, nestedPayload } from '../support/webhook.fixtures.js';
import {
  ADAPTERS,
  post,
  startWebhookAppOn,
  type WebhookApp,
} from '../support/webhook-app.harness.js';

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

describe.each(ADAPTERS)('%s: forged webhooks', (adapter) => {
  let mock: SecPaidMockServer;
  let web: WebhookApp;
  let url: string;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    web = await startWebhookAppOn(mock, {}, { adapter, tuning: { confirmRetryDelaysMs: [] } });
    url = `${web.origin}/secpaid/webhook`;
  });

  afterAll(async () => {
    await web?.close();
    await mock?.stop();
  });

  beforeEach(() => {
    web.handler.events.length = 0;
  });

  const apiCalls = (): number => mock.requests.filter((r) => r.path.startsWith('/api/')).length;

  async function paidLink(amount: number): Promise<number> {
    const { id } = await web.service.createLink({ amount, note: 'Order 7' });
    await mock.pay(id, { sendWebhooks: false });
    return id;
  }

  /** Approves the link's refund; the refund row is then certainly the newest of the pay id. */
  function approveRefund(payId: number): void {
    mock.payIns.find((p) => p.payId === payId)!.createdAt = new Date(Date.now() - 60_000);
    mock.settleRefund(mock.refunds.at(-1)!.refundId, 'Approved');
  }

  describe('prototype names: 400, no handler, no API call', () => {
    it.each(PROTOTYPE_NAMES)('%s as the status', async (name) => {
      const before = apiCalls();
      for (const [body, type] of [
        [JSON.stringify({ ResponseCode: 1, data: { pay_id: 501, status: name } }), JSON_TYPE],
        [formBody(501, 5, name), FORM_TYPE],
        [formBody(501, 5, name, 'Status'), FORM_TYPE],
      ] as const) {
        const answer = await post(url, body, type);
        expect(answer.status).toBe(400);
        expect(answer.json().message).toBe(SECPAID_WEBHOOK_INVALID_MESSAGE);
      }
      expect(web.handler.events).toHaveLength(0);
      expect(apiCalls()).toBe(before);
    });

    it.each(PROTOTYPE_NAMES)('%s as a field name', async (name) => {
      const before = apiCalls();
      const bodies: [string, string][] = [
        [`{"ResponseCode":1,"data":{"pay_id":502,"status":"success","${name}":"1"}}`, JSON_TYPE],
        [`{"ResponseCode":1,"${name}":{},"data":{"pay_id":502,"status":"success"}}`, JSON_TYPE],
        [`${formBody(502, 5)}&${encodeURIComponent(`data[${name}]`)}=1`, FORM_TYPE],
        [`${formBody(502, 5)}&${encodeURIComponent(name)}=1`, FORM_TYPE],
      ];
      for (const [body, type] of bodies) {
        const answer = await post(url, body, type);
        expect(answer.status).toBe(400);
        expect(answer.json().message).toBe(SECPAID_WEBHOOK_INVALID_MESSAGE);
      }
      expect(web.handler.events).toHaveLength(0);
      expect(apiCalls()).toBe(before);
    });
  });

  describe('rows that are not a payment never confirm one', () => {
    it('after a refund, a success without an amount is confirmed with the payment amount (not -40)', async () => {
      const id = await paidLink(40);
      await web.service.refundPayment({ payId: id, refundAmount: 40, fullRefund: true });
      approveRefund(id);
      const body = JSON.stringify({ ResponseCode: 1, data: { pay_id: id, status: 'success' } });
      const answer = await post(url, body, JSON_TYPE);
      expect(answer.status).toBe(200);
      expect(web.handler.events).toMatchObject([{ payId: id, amount: 40, confirmed: true }]);
    });

    it('after a refund, a genuine success carrying the real amount is confirmed', async () => {
      const id = await paidLink(40);
      await web.service.refundPayment({ payId: id, refundAmount: 15, fullRefund: false });
      approveRefund(id);
      const answer = await post(url, JSON.stringify(nestedPayload(id, 40)), JSON_TYPE);
      expect(answer.status).toBe(200);
      expect(web.handler.events).toMatchObject([{ payId: id, amount: 40, confirmed: true }]);
    });

    it.each([
      ['a refund row', { amount: -40, isRefund: true, transactionType: 'Refund' }],
      ['a dispute row', { amount: 40, isDispute: true, transactionType: 'Dispute' }],
      ['a dispute refund row', { amount: 40, transactionType: 'Dispute Refund' }],
    ])('an unpaid link with only %s: kept pending, no handler', async (_name, row) => {
      const { id } = await web.service.createLink({ amount: 40 });
      mock.payIns.push(unpaidRow(id, mock.accounts[0].userId, row));
      for (const body of [
        JSON.stringify({ ResponseCode: 1, data: { pay_id: id, status: 'success' } }),
        JSON.stringify(nestedPayload(id, 40)),
      ]) {
        const answer = await post(url, body, JSON_TYPE);
        expect(answer.status).toBe(202);
      }
      expect(web.handler.events).toHaveLength(0);
    });
  });
});

/** A pay-in row as SecPaid would list it, for a link that was never paid. */
function unpaidRow(payId: number, userId: string, row: Partial<MockPayIn>): MockPayIn {
  return {
    payId,
    userId,
    transactionId: `20260101-pi-${String(payId).padStart(10, '0')}`,
    amount: 40,
    serviceFee: 0,
    serviceFeePsp: 0,
    netAmount: row.amount ?? 40,
    status: 'Success',
    note: '',
    payoutStatus: 'Pending',
    createdAt: new Date(),
    isSplit: false,
    isDispute: false,
    isRefund: false,
    paymentMethod: 'card',
    transactionType: 'Basic',
    ...row,
  };
}
