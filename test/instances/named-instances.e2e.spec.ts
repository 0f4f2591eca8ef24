import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { TestApp } from '../support/test-app.builder.js';
import {
  SecPaidService,
  getSecPaidHttpServiceToken,
  getSecPaidServiceToken,
} from '../../lib/index.js';
import { SecPaidHealthIndicator } from '../../lib/health/index.js';
import { SECPAID_WEBHOOK_INVALID_MESSAGE } from '../../lib/secpaid.constants.js';
import {
  KEY_B,
  Marketplace,
  MerchantHandlers,
  ROUTE_A,
  ROUTE_B,
  merchantModules,
  startMarketplaceApp,
  startTwoAccounts,
  type TwoAccounts,
} from '../support/two-merchants.fixture.js';
import { CapturingLogger } from '../support/capturing.logger.js';

/** The `token` header of every API request among `requests`. */
function apiTokens(requests: TwoAccounts['dev']['requests']): string[] {
  return requests
    .filter((r) => r.path.startsWith('/api/v2/'))
    .map((r) => String(r.headers['token']));
}

describe('two named SecPaid instances (two accounts, two environments) in one app', () => {
  let accounts: TwoAccounts;
  let app: TestApp;
  let origin: string;
  let handlers: MerchantHandlers;
  let merchantA: SecPaidService;
  let merchantB: SecPaidService;
  let keyA: string;
  let keyB: string;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    accounts = await startTwoAccounts();
    app = await startMarketplaceApp(merchantModules(accounts), logger);
    origin = app.origin;
    handlers = app.get(MerchantHandlers);
    ({ merchantA, merchantB } = app.get(Marketplace));
    keyA = accounts.dev.accounts[0]!.apiKey;
    keyB = accounts.prod.accounts[0]!.apiKey;
  });

  afterAll(async () => {
    await app?.close();
    await accounts?.stop();
  });

  beforeEach(() => handlers.clear());

  /** Creates a link on one merchant's account whose webhooks go to that merchant's route. */
  async function linkOf(service: SecPaidService, route: string, amount: number): Promise<number> {
    const link = await service.createLink({ amount, paymentEndpoint: `${origin}/${route}` });
    return link.id;
  }

  it('injects a separate service per name, reachable through the token helpers', () => {
    expect(merchantA).toBeInstanceOf(SecPaidService);
    expect(merchantB).toBeInstanceOf(SecPaidService);
    expect(merchantA).not.toBe(merchantB);
    expect(app.app.get(getSecPaidServiceToken('merchant-a'))).toBe(merchantA);
    expect(app.app.get(getSecPaidServiceToken('merchant-b'))).toBe(merchantB);
    expect(app.app.get(getSecPaidHttpServiceToken('merchant-a'))).not.toBe(
      app.app.get(getSecPaidHttpServiceToken('merchant-b')),
    );
    // No default instance here: the class token belongs to the unnamed registration only.
    expect(() => app.get(SecPaidService)).toThrow();
  });

  it('sends each call with its own account key to its own environment', async () => {
    const devBefore = accounts.dev.requests.length;
    const prodBefore = accounts.prod.requests.length;
    await merchantA.getMyUnusedLinks();
    await merchantB.getMyUnusedLinks();
    await expect(merchantA.verifyApiKey()).resolves.toMatchObject({ environment: 'development' });
    await expect(merchantB.verifyApiKey()).resolves.toMatchObject({ environment: 'production' });

    expect(apiTokens(accounts.dev.requests.slice(devBefore))).toEqual([keyA, keyA]);
    expect(apiTokens(accounts.prod.requests.slice(prodBefore))).toEqual([keyB, keyB]);
  });

  it("routes each account's webhooks to its own route, confirmed with its own key", async () => {
    const linkA = await linkOf(merchantA, ROUTE_A, 12.5);
    const linkB = await linkOf(merchantB, ROUTE_B, 80);
    const devBefore = accounts.dev.requests.length;
    const prodBefore = accounts.prod.requests.length;

    const paidA = await accounts.dev.pay(linkA);
    const paidB = await accounts.prod.pay(linkB);

    expect(paidA.deliveries).toMatchObject([
      { url: `${origin}/${ROUTE_A}`, encrypted: false, status: 200 },
    ]);
    expect(paidB.deliveries).toMatchObject([
      { url: `${origin}/${ROUTE_B}`, encrypted: true, status: 200 },
    ]);
    // Confirmation of A went to A's environment with A's key, and likewise for B.
    const confirmations = (mock: TwoAccounts['dev'], from: number) =>
      mock.requests
        .slice(from)
        .filter((r) => r.path === '/api/v2/getPayInTransactions')
        .map((r) => r.headers['token']);
    expect(confirmations(accounts.dev, devBefore)).toEqual([keyA]);
    expect(confirmations(accounts.prod, prodBefore)).toEqual([keyB]);

    expect(handlers.merchantA).toMatchObject([
      {
        type: 'payment.succeeded',
        payId: linkA,
        amount: 12.5,
        confirmed: true,
        instance: 'merchant-a',
      },
    ]);
    expect(handlers.merchantBPaid).toMatchObject([
      {
        type: 'payment.succeeded',
        payId: linkB,
        amount: 80,
        confirmed: true,
        encrypted: true,
        instance: 'merchant-b',
      },
    ]);
    expect(handlers.every.map((e) => [e.instance, e.payId])).toEqual([
      ['merchant-a', linkA],
      ['merchant-b', linkB],
    ]);
    // A handler naming no instance gets the default instance's events: none exists here.
    expect(handlers.any).toEqual([]);
  });

  it('warned at start-up, once per named instance, about the handler that names no instance', () => {
    const warnings = logger.lines.filter((l) => l.message.includes('MerchantHandlers.onAny'));
    expect(warnings.map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(warnings.map((l) => /not those of '([^']+)'/.exec(l.message)?.[1]).sort()).toEqual([
      'merchant-a',
      'merchant-b',
    ]);
    // Handlers that name an instance, or '*', are not warned about.
    expect(
      logger.lines.filter((l) => /onEvery|onMerchantA|onMerchantBPaid/.test(l.message)),
    ).toEqual([]);
  });

  it('filters handlers by instance and type', async () => {
    const linkB = await linkOf(merchantB, ROUTE_B, 5);
    const { deliveries } = await accounts.prod.cancel(linkB);
    expect(deliveries.map((d) => d.status)).toEqual([200]);
    // merchant-b's handler wants payment.succeeded only; merchant-a's never sees B's events.
    expect(handlers.merchantBPaid).toEqual([]);
    expect(handlers.merchantA).toEqual([]);
    expect(handlers.every).toMatchObject([
      { type: 'payment.cancelled', payId: linkB, instance: 'merchant-b' },
    ]);
    expect(handlers.any).toEqual([]);
  });

  it("never accepts account B's webhooks at A's route: A confirms with its own key", async () => {
    // B's links, but pointing at A's route. Amounts no other test uses, so even a pay id that
    // both mocks handed out cannot match a payment of A's account.
    const plainLink = await merchantB.createLink({
      amount: 61.23,
      paymentEndpoint: `${origin}/${ROUTE_A}`,
    });
    const encryptedLink = await merchantB.createLink({
      amount: 61.24,
      paymentEndpoint: `${origin}/${ROUTE_A}`,
    });
    const devBefore = accounts.dev.requests.length;

    const plain = await accounts.prod.pay(plainLink.id, { encrypt: false });
    const encrypted = await accounts.prod.pay(encryptedLink.id);

    // A's account does not show the payment: held as pending (202), never dispatched as paid.
    expect(plain.deliveries).toMatchObject([{ encrypted: false, status: 202 }]);
    // A has no encryption key: the encrypted envelope is not a webhook it accepts.
    expect(encrypted.deliveries).toMatchObject([{ encrypted: true, status: 400 }]);
    expect(encrypted.deliveries[0]!.responseBody).toContain(SECPAID_WEBHOOK_INVALID_MESSAGE);
    // The plain one was looked up, with A's key, in A's environment only.
    const lookups = accounts.dev.requests
      .slice(devBefore)
      .filter((r) => r.path === '/api/v2/getPayInTransactions');
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((r) => r.headers['token'] === keyA)).toBe(true);
    expect(handlers.every).toEqual([]);
  });

  it("never accepts account A's webhooks at B's route, even encrypted with B's key", async () => {
    const linkA = await merchantA.createLink({
      amount: 72.31,
      paymentEndpoint: `${origin}/${ROUTE_B}`,
    });
    const plain = await accounts.dev.pay(linkA.id);
    // B accepts only bodies encrypted with its key ...
    expect(plain.deliveries).toMatchObject([{ encrypted: false, status: 400 }]);

    // ... and a body that is, but reports a payment of A's account, fails B's own confirmation.
    const linkA2 = await merchantA.createLink({
      amount: 72.32,
      paymentEndpoint: `${origin}/${ROUTE_B}`,
    });
    const prodBefore = accounts.prod.requests.length;
    const forged = await accounts.dev.pay(linkA2.id, { encrypt: KEY_B });
    // Not shown by B's account: pending (202), or 400 when B's account has a payment with that
    // id (ids are per environment) and another amount. Never 200, never dispatched.
    expect(forged.deliveries).toMatchObject([{ encrypted: true }]);
    expect([202, 400]).toContain(forged.deliveries[0]!.status);
    const lookups = accounts.prod.requests
      .slice(prodBefore)
      .filter((r) => r.path === '/api/v2/getPayInTransactions');
    // A 400 may come without a lookup: B created a link with that id itself, another amount.
    if (forged.deliveries[0]!.status === 202) expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((r) => r.headers['token'] === keyB)).toBe(true);
    expect(handlers.every).toEqual([]);
  });

  it('probes each instance on its own, with a cache per instance', async () => {
    const health = app.app.get(SecPaidHealthIndicator);
    // B's account answers its next key check with 401: only B goes down.
    accounts.prod.injectFault({ endpoint: 'getTaxInvoiceList', status: 401, times: 1 });
    const a1 = await health.isHealthy('merchant-a', { instance: 'merchant-a' });
    const b1 = await health.isHealthy('merchant-b', { instance: 'merchant-b' });
    expect(a1['merchant-a']).toMatchObject({
      status: 'up',
      environment: 'development',
      cached: false,
    });
    expect(b1['merchant-b']).toMatchObject({
      status: 'down',
      environment: 'production',
      reason: 'invalid_api_key',
    });
    const a2 = await health.isHealthy('merchant-a', { instance: 'merchant-a' });
    expect(a2['merchant-a']).toMatchObject({ status: 'up', cached: true });
    expect(JSON.stringify([a1, b1, a2])).not.toContain(keyA);
    expect(JSON.stringify([a1, b1, a2])).not.toContain(keyB);

    await expect(health.isHealthy('x', { instance: 'merchant-c' })).rejects.toThrow(
      "No SecPaid instance named 'merchant-c' is registered (registered: 'merchant-a', 'merchant-b')",
    );
    await expect(health.isHealthy()).rejects.toThrow(/No default SecPaid instance/);
  });
});
