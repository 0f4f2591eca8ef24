import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../../lib/testing/index.js';
import { callApi, callApiForm, dataOf, listOf } from '../../support/mock-api.client.js';

const KEY = 'devKey0123456789abcdefghijklmnop';
const PROD_KEY = 'prodKey0123456789abcdefghijklmno';

describe('SecPaidMockServer core', () => {
  let mock: SecPaidMockServer;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({
      accounts: [
        { apiKey: KEY, userId: 'b44c4429-4a7b-4e27-85af-c1c2f43f4ffe' },
        { apiKey: PROD_KEY, environment: 'production' },
      ],
    });
  });
  afterAll(async () => {
    await mock.stop();
  });
  beforeEach(() => mock.reset());

  it('listens on loopback and exposes its environment and seeded accounts', () => {
    expect(mock.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.environment).toBe('development');
    expect(mock.accounts[0]).toMatchObject({ apiKey: KEY, callbackUrls: [], paymentEndpoints: [] });
    expect(mock.accounts[0].recipientToken).toEqual(expect.any(String));
  });

  it('generates a default account when none is given', async () => {
    const other = await SecPaidMockServer.start();
    try {
      expect(other.accounts).toHaveLength(1);
      const [account] = other.accounts;
      expect(account.apiKey).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(account.userId).toMatch(/^[0-9a-f-]{36}$/);
      const result = await callApi(
        other.baseUrl,
        'getTaxInvoiceList',
        { page: 1, limit: 1 },
        account.apiKey,
      );
      expect(result.status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('creates a link with the documented api/create-link shape', async () => {
    const result = await callApi(
      mock.baseUrl,
      'createLink',
      {
        amount: 25,
        recipient_note: 'Test regular link',
        callback_url: 'https://shop.example/cb',
        bank_transfer: 'true',
      },
      KEY,
    );
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({
      ResponseCode: 1,
      ResponseMsg: 'Link has been created successfully',
      Result: 'True',
    });
    expect(['CEST', 'CET']).toContain(result.json.ServerTime);
    const data = dataOf(result);
    expect(data).toEqual({
      is_cancellation: 'Yes',
      user_id: 'b44c4429-4a7b-4e27-85af-c1c2f43f4ffe',
      amount: 25,
      recipient_note: 'Test regular link',
      status: 'Unused',
      paymentEndpoint: '',
      callback_url: 'https://shop.example/cb',
      servicefee: '1.0',
      recipients: null,
      is_split_link: 'false',
      split_type: 'normal',
      bank_transfer: 'true',
      is_qr_link: 'false',
      payment_config: '',
      bank_statement_description: '',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      id: expect.any(Number),
      pay_link: expect.any(String),
      qr_img: expect.any(String),
    });
    const id = data.id as number;
    const encoded = Buffer.from(String(id)).toString('base64');
    expect(data.pay_link).toBe(`${mock.baseUrl}/payment?link_id=${encoded}`);
    expect(data.qr_img).toBe(
      `https://quickchart.io/chart?chl=${mock.baseUrl}/payment?link_id=${encoded}&chs=300x300&cht=qr`,
    );
    expect(mock.links).toHaveLength(1);
    expect(mock.links[0]).toMatchObject({ id, amount: 25, status: 'Unused' });
  });

  it('writes created_at in Europe/Berlin local time', async () => {
    // `YYYY-MM-DD HH:MM:SS` strings sort like the times they name: the stamp must lie between
    // the Berlin wall-clock times read before and after the call (no hour boundary can break it).
    const berlin = (date: Date) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Europe/Berlin',
        dateStyle: 'short',
        timeStyle: 'medium',
      }).format(date);
    const before = berlin(new Date());
    const data = dataOf(await callApi(mock.baseUrl, 'createLink', { amount: 1 }, KEY));
    const after = berlin(new Date());
    const stamp = (data.created_at as string).slice(0, 19);
    expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(stamp >= before && stamp <= after).toBe(true);
  });

  it('accepts form-urlencoded bodies with string numbers and booleans', async () => {
    const result = await callApiForm(
      mock.baseUrl,
      'createLink',
      {
        amount: '100.00',
        recipient_note: 'Invoice #1234',
        cancellable: 'false',
        is_qr_link: 'true',
      },
      KEY,
    );
    expect(result.status).toBe(200);
    expect(dataOf(result)).toMatchObject({
      amount: 100,
      is_cancellation: 'No',
      is_qr_link: 'true',
    });
    expect(mock.requests.at(-1)?.body).toEqual({
      amount: '100.00',
      recipient_note: 'Invoice #1234',
      cancellable: 'false',
      is_qr_link: 'true',
    });
  });

  it('lists unused links in the documented shape', async () => {
    await callApi(mock.baseUrl, 'createLink', { amount: 25, recipient_note: 'first' }, KEY);
    await callApi(mock.baseUrl, 'createLink', { amount: 35.39, recipient_note: 'second' }, KEY);
    const result = await callApi(mock.baseUrl, 'getMyUnusedLinks', {}, KEY);
    expect(result.json).toMatchObject({
      ResponseCode: 1,
      ResponseMsg: 'List retrived successfully',
      Result: 'True',
    });
    const [newest, oldest] = listOf(result);
    expect(newest).toEqual({
      linktopay_id: String(mock.links[1].id),
      user_id: 'b44c4429-4a7b-4e27-85af-c1c2f43f4ffe',
      recipient_note: 'second',
      amount: '35.39',
      is_cancelled: 'No',
      recipients: null,
      is_split_link: 'false',
      pay_link: mock.links[1].payLink,
      qr_img: mock.links[1].qrImg,
      transaction_type: 'Basic',
    });
    expect(oldest.amount).toBe('25.00');
  });

  it('lists tax invoices (empty by default) with totalRecords', async () => {
    const result = await callApi(mock.baseUrl, 'getTaxInvoiceList', { page: 1, limit: 1 }, KEY);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({
      data: [],
      totalRecords: 0,
      ResponseCode: 1,
      Result: 'True',
    });
  });

  describe('authentication', () => {
    const authFailure = {
      ResponseCode: 0,
      ResponseMsg: 'Incorrect token or missing token',
      Result: 'False',
    };

    it('rejects a missing token with 401', async () => {
      const result = await callApi(mock.baseUrl, 'getMyUnusedLinks', {});
      expect(result.status).toBe(401);
      expect(result.json).toMatchObject(authFailure);
      expect(Object.keys(result.json).sort()).toEqual([
        'ResponseCode',
        'ResponseMsg',
        'Result',
        'ServerTime',
      ]);
    });

    it('rejects an unknown token with 401', async () => {
      const result = await callApi(mock.baseUrl, 'getMyUnusedLinks', {}, 'nope');
      expect(result.status).toBe(401);
      expect(result.json).toMatchObject(authFailure);
    });

    it('rejects a key of the other environment exactly like an unknown key', async () => {
      const wrongEnv = await callApi(mock.baseUrl, 'getTaxInvoiceList', {}, PROD_KEY);
      const unknown = await callApi(mock.baseUrl, 'getTaxInvoiceList', {}, 'unknown-key');
      expect(wrongEnv.status).toBe(unknown.status);
      expect(wrongEnv.json).toEqual(unknown.json);
    });

    it('lets a production server and a development server run side by side', async () => {
      const prod = await SecPaidMockServer.start({
        environment: 'production',
        accounts: [
          { apiKey: PROD_KEY, environment: 'production' },
          { apiKey: KEY, environment: 'development' },
        ],
      });
      try {
        expect(prod.environment).toBe('production');
        expect((await callApi(prod.baseUrl, 'getTaxInvoiceList', {}, PROD_KEY)).status).toBe(200);
        expect((await callApi(prod.baseUrl, 'getTaxInvoiceList', {}, KEY)).json).toMatchObject(
          authFailure,
        );
        expect((await callApi(mock.baseUrl, 'getTaxInvoiceList', {}, KEY)).status).toBe(200);
      } finally {
        await prod.stop();
      }
    });
  });

  it('records every request with method, path, headers and parsed body', async () => {
    await callApi(mock.baseUrl, 'getMyUnusedLinks', { limit: 5 }, KEY);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/v2/getMyUnusedLinks',
      body: { limit: 5 },
    });
    expect(mock.requests[0].headers.token).toBe(KEY);
  });

  it('injects a fault once, then answers normally', async () => {
    mock.injectFault({ endpoint: 'createLink', status: 503 });
    const failed = await callApi(mock.baseUrl, 'createLink', { amount: 5 }, KEY);
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ ResponseCode: 0, Result: 'False' });
    const ok = await callApi(mock.baseUrl, 'createLink', { amount: 5 }, KEY);
    expect(ok.status).toBe(200);
    expect(mock.links).toHaveLength(1);
  });

  it('reset() clears state but keeps the accounts', async () => {
    await callApi(mock.baseUrl, 'createLink', { amount: 5 }, KEY);
    mock.injectFault({ status: 500, times: 3 });
    mock.reset();
    expect(mock.links).toHaveLength(0);
    expect(mock.requests).toHaveLength(0);
    expect(mock.pendingFaults).toBe(0);
    expect(mock.accounts[0].apiKey).toBe(KEY);
    const again = dataOf(await callApi(mock.baseUrl, 'createLink', { amount: 5 }, KEY));
    expect(again.id).toBe(100001);
  });
});
