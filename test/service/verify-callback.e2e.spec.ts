import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { readCallbackQuery } from '../../lib/service/callback-verification.js';
import type { PayInLookupBatcher } from '../../lib/webhooks/confirmation/pay-in-lookup.batcher.js';
import { callApi, dataOf } from '../support/mock-api.client.js';
import {
  SECPAID_CONFIRMATION_LANE,
  SECPAID_RATE_LIMIT_WINDOW_MS,
} from '../../lib/secpaid.constants.js';
import { SecPaidModule, SecPaidService } from '../../lib/index.js';
import { callsTo, devOptions } from '../support/service-app.harness.js';
import { bootstrapTestApp } from '../support/test-app.builder.js';

/** The query of a return URL as the mock's redirect builds it. */
const queryOf = (redirectUrl: string): Record<string, string> =>
  Object.fromEntries(new URL(redirectUrl).searchParams);

describe('SecPaidService.verifyCallback: the return page asks the API, never the URL', () => {
  let mock: SecPaidMockServer;
  let harness: {
    service: SecPaidService;
    get<T>(token: unknown): T;
    close(): Promise<void>;
  };

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false });
    // Webhooks off: the return page works without a receiver. The lane's minute (12 calls by
    // default) shrunk to 1 s, so that the spec's calls never wait a real minute.
    const moduleRef = await bootstrapTestApp(
      SecPaidModule.forRoot(devOptions(mock.accounts[0].apiKey, mock.baseUrl)),
    )
      .override(SECPAID_RATE_LIMIT_WINDOW_MS, 1_000)
      .compile();
    harness = {
      service: moduleRef.get(SecPaidService),
      get: <T>(token: unknown) => moduleRef.get<T>(token as symbol),
      close: () => moduleRef.close(),
    };
  });
  afterAll(async () => {
    await harness?.close();
    await mock?.stop();
  });

  const newLink = async (amount: number) =>
    (await harness.service.createLink({ amount, note: `return ${amount}` })).id;

  it('a paid link: paid, with the pay-in', async () => {
    const id = await newLink(19.99);
    const { redirectUrl } = await mock.pay(id, { sendWebhooks: false });
    const answer = await harness.service.verifyCallback(queryOf(redirectUrl));
    expect(answer).toMatchObject({
      payId: id,
      status: 'paid',
      payment: { payId: id, amount: 19.99, status: 'Success' },
    });
  });

  it('an unpaid link: pending, even when the URL says status=success', async () => {
    const id = await newLink(5);
    for (const status of ['success', 'Success', undefined]) {
      const query = { pay_id: String(id), ...(status && { status }) };
      expect(await harness.service.verifyCallback(query)).toEqual({ payId: id, status: 'pending' });
    }
  });

  it('a cancelled link: cancelled', async () => {
    const id = await newLink(6);
    const { redirectUrl } = await mock.cancel(id, { sendWebhooks: false });
    expect(await harness.service.verifyCallback(queryOf(redirectUrl))).toEqual({
      payId: id,
      status: 'cancelled',
    });
  });

  it('a forged status=success with a made-up pay_id: unknown, never paid', async () => {
    const answer = await harness.service.verifyCallback({
      pay_id: '987654321',
      user_id: mock.accounts[0].userId,
      status: 'success',
    });
    expect(answer).toEqual({ payId: 987654321, status: 'unknown' });
  });

  it('a paid payment that the API shows only later: pending until it does, then paid', async () => {
    const id = await newLink(7.5);
    await mock.pay(id, { sendWebhooks: false, visibleAfterMs: 60_000 });
    const query = `https://shop.example/thanks?pay_id=${id}&amp;status=success`;
    // This app created the link: it exists, not paid as far as the API shows.
    expect(await harness.service.verifyCallback(query)).toEqual({ payId: id, status: 'pending' });
    mock.payIns.find((p) => p.payId === id)!.visibleAt = new Date();
    expect(await harness.service.verifyCallback(query)).toMatchObject({
      payId: id,
      status: 'paid',
    });
  });

  it('a link created elsewhere (the dashboard), unpaid: pending from the link list', async () => {
    const created = await callApi(
      mock.baseUrl,
      'createLink',
      { amount: 8, note: 'dashboard' },
      mock.accounts[0].apiKey,
    );
    const id = Number(dataOf(created)['id']);
    expect(await harness.service.verifyCallback({ pay_id: id })).toEqual({
      payId: id,
      status: 'pending',
    });
  });

  it('no usable pay_id: unknown, without any request', async () => {
    const before = mock.requests.length;
    for (const query of [
      {},
      { status: 'success' },
      { pay_id: '' },
      { pay_id: 'abc' },
      { pay_id: ['1', '2'] },
      { pay_id: '-3' },
      null,
      'status=success',
    ]) {
      expect(await harness.service.verifyCallback(query)).toEqual({
        payId: undefined,
        status: 'unknown',
      });
    }
    expect(mock.requests.length).toBe(before);
  });

  it('goes through the confirmation lane: its budget counts the calls', async () => {
    const lane = harness.get<PayInLookupBatcher>(SECPAID_CONFIRMATION_LANE);
    const before = lane.calls;
    const requestsBefore = callsTo(mock.requests, 'getPayInTransactions').length;
    await harness.service.verifyCallback({ pay_id: '987654322' });
    // One pay-in lookup and one link list, both counted by the lane.
    expect(lane.calls - before).toBe(2);
    expect(callsTo(mock.requests, 'getPayInTransactions').length - requestsBefore).toBe(1);
  });
});

describe('readCallbackQuery: what a return page may hand over', () => {
  it.each([
    ['a query object', { pay_id: '42', user_id: 'u-1', status: 'success' }],
    ['a query string', 'pay_id=42&user_id=u-1&status=success'],
    ['a query string with ?', '?pay_id=42&user_id=u-1&status=success'],
    ['a whole URL', 'https://shop.example/thanks?pay_id=42&user_id=u-1&status=success#top'],
    [
      'HTML-escaped separators',
      'https://shop.example/thanks?pay_id=42&amp;user_id=u-1&amp;status=success',
    ],
    [
      'escaped keys as Express parses them',
      { pay_id: '42', 'amp;user_id': 'u-1', 'amp;status': 'success' },
    ],
    ['a repeated field that agrees', { pay_id: ['42', '42'], user_id: 'u-1', status: 'success' }],
    ['a numeric pay_id', { pay_id: 42, user_id: 'u-1', status: 'success' }],
  ])('%s', (_name, query) => {
    expect(readCallbackQuery(query)).toEqual({ payId: 42, userId: 'u-1', status: 'success' });
  });

  it('drops what disagrees or is missing; reads own properties only', () => {
    expect(readCallbackQuery({ pay_id: ['42', '43'], status: 'success' })).toEqual({
      status: 'success',
    });
    expect(readCallbackQuery({ pay_id: '42' })).toEqual({ payId: 42 });
    expect(readCallbackQuery(Object.create({ pay_id: '42' }))).toEqual({});
    expect(readCallbackQuery({ pay_id: '1'.repeat(16) })).toEqual({});
    expect(readCallbackQuery({ pay_id: { toString: () => '42' } })).toEqual({});
  });
});
