import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockAccount } from '../accounts/account.factory.js';
import {
  MOCK_ENDPOINTS,
  MockRateLimiter,
  apiEndpointName,
  routeApiRequest,
} from '../api/api.router.js';
import { errorEnvelope } from '../api/envelope.util.js';
import { DashboardEvents } from '../dashboard/dashboard.events.js';
import {
  isDashboardPath,
  routeDashboard,
  type DashboardDeps,
} from '../dashboard/dashboard.routes.js';
import { MockFaultInjector } from '../faults/fault.injector.js';
import { MockDelayScheduler, respondWithFault } from '../faults/fault.responder.js';
import { routePaymentPages } from '../payments/payment.routes.js';
import { MockPaymentSimulator } from '../payments/payment.simulator.js';
import type {
  MockAccount,
  MockAccountSeed,
  MockEnvironment,
  MockFault,
  MockLink,
  MockPayIn,
  MockPaymentOptions,
  MockPaymentResult,
  MockPayout,
  MockRefund,
  MockRequestRecord,
  MockResendOptions,
  MockTaxInvoice,
  MockWebhookDelivery,
  SecPaidMockServerOptions,
} from '../secpaid-mock.types.js';
import { buildPayout, buildTaxInvoice } from '../seed/record.factory.js';
import { MockBodyParseError, parseRequestBody, type MockBody } from './body.parser.js';
import { sendJson } from './http.util.js';
import { MockState } from './state.store.js';
import {
  mockEnvironmentVariables,
  mockModuleOptions,
  type MockAccountSelector,
  type MockEnvSelector,
  type MockModuleOptions,
  type MockModuleOverrides,
} from './module-options.factory.js';

/** Endpoints that change the state (the read-only lists do not wake the dashboard). */
const WRITING_ENDPOINTS: ReadonlySet<string> = new Set([
  'createLink',
  'createSplitLink',
  'deleteLink',
  'refundPayment',
]);

/** Largest request body the mock reads (SecPaid's bodies are a few hundred bytes); more: 413. */
export const MOCK_MAX_BODY_BYTES = 256 * 1024;

/**
 * A stateful SecPaid v2 server for tests, the sample app and local development
 * (`nestjs-secpaid/testing`). It follows docs/secpaid-api.md: `POST /api/v2/<endpoint>` with the
 * `token` header, the `ResponseCode`/`ResponseMsg`/`Result`/`ServerTime` envelope, the documented
 * record shapes and messages, one key per environment, and 60 requests/minute per key.
 *
 * HTTP statuses are not documented by SecPaid; the mock chooses:
 * - 401 + `Incorrect token or missing token` for a missing, unknown or other-environment key
 *   (the authentication page lists all three causes under that message; the errors page's
 *   alternative `Please enter token` is not used);
 * - 400 + the envelope for every other `ResponseCode: 0` (validation and business errors);
 * - 429 + `Retry-After` (seconds) + an envelope when over the rate limit;
 * - 404/405 + an envelope for unknown paths or non-POST calls under `/api/v2/`.
 *
 * @example
 * ```ts
 * const mock = await SecPaidMockServer.start();
 * // SecPaidModule.forRoot(mock.moduleOptions())
 * const { redirectUrl } = await mock.pay(linkId); // fires the webhook
 * await mock.stop();
 * ```
 */
export class SecPaidMockServer {
  /** The environment this instance plays; keys of the other environment are rejected. */
  readonly environment: MockEnvironment;
  /** Every seeded account (including ones seeded for the other environment). */
  readonly accounts: MockAccount[];
  private readonly state: MockState;
  private readonly faults = new MockFaultInjector();
  private readonly limiter: MockRateLimiter;
  private readonly payments: MockPaymentSimulator;
  private readonly extraRecipientTokens: string[];
  private readonly delays = new MockDelayScheduler();
  private readonly dashboardEvents = new DashboardEvents();
  private readonly dashboard: DashboardDeps;
  private readonly rateLimitPerMinute: number | false;
  private origin = '';
  private stopped = false;

  private constructor(
    private readonly server: Server,
    options: SecPaidMockServerOptions,
  ) {
    this.environment = options.environment ?? 'development';
    if (this.environment !== 'development' && this.environment !== 'production') {
      throw new Error(`environment must be 'production' or 'development'`);
    }
    const seeds = options.accounts?.length ? options.accounts : [{}];
    this.accounts = seeds.map((seed) => createMockAccount(seed, this.environment));
    this.state = new MockState(options.requestLog);
    this.state.onChange(() => this.dashboardEvents.changed());
    const rateLimit = options.rateLimit ?? { requestsPerMinute: 60 };
    this.rateLimitPerMinute = rateLimit === false ? false : rateLimit.requestsPerMinute;
    this.limiter = new MockRateLimiter(this.rateLimitPerMinute);
    if (options.webhookFormat !== undefined && !['json', 'form'].includes(options.webhookFormat)) {
      throw new Error(`webhookFormat must be 'json' or 'form'`);
    }
    this.extraRecipientTokens = [...(options.recipientTokens ?? [])];
    this.payments = new MockPaymentSimulator({
      state: this.state,
      accountOf: (userId) => this.accounts.find((a) => a.userId === userId),
      baseUrl: () => this.origin,
      webhookTimeoutMs: options.webhookTimeoutMs ?? 5000,
      webhookFormat: options.webhookFormat,
      onWebhookDelivery: options.onWebhookDelivery,
    });
    this.dashboard = {
      events: this.dashboardEvents,
      endpoints: Object.keys(MOCK_ENDPOINTS),
      host: options.host ?? '127.0.0.1',
      snapshot: () => ({
        environment: this.environment,
        baseUrl: this.origin,
        rateLimit: this.rateLimitPerMinute,
        pendingFaults: this.faults.pending,
        accounts: this.accounts,
        links: this.state.links,
        payIns: this.state.payIns,
        refunds: this.state.refunds,
        deliveries: this.state.webhookDeliveries,
      }),
      pay: (linkId, payOptions) => this.pay(linkId, payOptions),
      cancel: (linkId) => this.cancel(linkId),
      fail: (linkId) => this.fail(linkId),
      resendWebhook: (deliveryId, resendOptions) => this.resendWebhook(deliveryId, resendOptions),
      injectFault: (fault) => this.injectFault(fault),
    };
  }

  /**
   * Starts a mock on `host:port` (default `127.0.0.1:0`, a free port) and resolves once it listens.
   * Call {@link SecPaidMockServer.stop} when done.
   */
  static async start(options: SecPaidMockServerOptions = {}): Promise<SecPaidMockServer> {
    const server = createServer();
    const mock = new SecPaidMockServer(server, options);
    server.on('request', (req, res) => mock.handle(req, res));
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    mock.origin = `http://${urlHost}:${port}`;
    return mock;
  }

  /** The origin to pass as the module's `baseUrl` (e.g. `http://127.0.0.1:41234`). */
  get baseUrl(): string {
    return this.origin;
  }

  /**
   * The sandbox dashboard (`<baseUrl>/dashboard`): every account's links, pay-ins, refunds and
   * webhook deliveries, live, with pay/cancel/fail, resend and fault buttons.
   */
  get dashboardUrl(): string {
    return `${this.origin}/dashboard`;
  }

  /**
   * `SecPaidModule.forRoot` options for this mock: the first account's key (or `account`'s), its
   * environment and {@link SecPaidMockServer.baseUrl}, shallow-merged with `overrides`.
   */
  moduleOptions<const T extends MockModuleOverrides = Record<never, never>>(
    overrides?: T,
    account?: MockAccountSelector,
  ): MockModuleOptions & T {
    return mockModuleOptions(this, overrides, account);
  }

  /**
   * The `SECPAID_*` variables that point `secpaidConfig` at this mock (first account by default):
   * `Object.assign(process.env, mock.env())` before the app's module compiles. `mock.env(1)` or
   * `mock.env(account)` picks an account; `mock.env({ account: 1, instance: 'merchant-b' })`
   * gives the `SECPAID_MERCHANT_B_*` variables `secpaidConfigFor('merchant-b')` reads.
   */
  env(selector?: MockAccountSelector | MockEnvSelector): Record<string, string> {
    return mockEnvironmentVariables(this, selector);
  }

  /** Every link, in creation order (deleted ones keep status `Deleted`). */
  get links(): MockLink[] {
    return this.state.links;
  }

  /** Every pay-in (one per `pay()`). */
  get payIns(): MockPayIn[] {
    return this.state.payIns;
  }

  /** Every refund request (status `Pending`). */
  get refunds(): MockRefund[] {
    return this.state.refunds;
  }

  /** Seeded payouts (see {@link SecPaidMockServer.seedPayout}). */
  get payouts(): MockPayout[] {
    return this.state.payouts;
  }

  /** Seeded tax invoices (see {@link SecPaidMockServer.seedTaxInvoice}). */
  get taxInvoices(): MockTaxInvoice[] {
    return this.state.taxInvoices;
  }

  /**
   * The requests received (any path), in order, with the parsed body: the most recent
   * `requestLog.maxEntries` (default 1000) within `requestLog.maxBodyBytes` (default 16 MiB of
   * bodies); the oldest are dropped first, so a long-running mock does not grow without bound.
   */
  get requests(): MockRequestRecord[] {
    return this.state.requests;
  }

  /**
   * Every webhook POST made by `pay()`/`cancel()`/`fail()`/`resendWebhook()`, oldest first, with
   * the app's answer (status, response body, time) or the network error; bounded like
   * {@link SecPaidMockServer.requests}.
   */
  get webhookDeliveries(): MockWebhookDelivery[] {
    return this.state.webhookDeliveries;
  }

  /**
   * Simulates the payer paying link `linkId`: the link becomes `Used`, a pay-in is recorded, the
   * success webhook is POSTed to every payment endpoint of the link (awaited; a failing receiver
   * is recorded in `webhookDeliveries`, never thrown) and the browser redirect URL is returned.
   * Rejects when the link does not exist or is not `Unused`.
   */
  async pay(linkId: number | string, options?: MockPaymentOptions): Promise<MockPaymentResult> {
    return this.payments.pay(Number(linkId), options);
  }

  /**
   * Simulates the payer pressing Cancel: the link becomes `Cancelled`, the cancel webhook is
   * POSTed (how-to/payment-endpoint; pass `sendWebhooks: false` for the concepts page's
   * "no webhook on cancel") and the redirect URL (`status=cancel`) is returned.
   * Rejects when the link is not `Unused` or not cancellable.
   */
  async cancel(linkId: number | string, options?: MockPaymentOptions): Promise<MockPaymentResult> {
    return this.payments.cancel(Number(linkId), options);
  }

  /**
   * Simulates a failed payment attempt (a declined card) on an Unused link: no pay-in, the link
   * stays `Unused` with `failedAt` set, the `Failed` webhook is POSTed to every payment endpoint
   * (awaited, recorded) and the redirect URL (`status=failed`) is returned.
   * Rejects when the link does not exist or is not `Unused`.
   */
  async fail(linkId: number | string, options?: MockPaymentOptions): Promise<MockPaymentResult> {
    return this.payments.fail(Number(linkId), options);
  }

  /**
   * POSTs a recorded delivery again: the same body and headers (so the same format and, when
   * encrypted, the same ciphertext) to the same URL, or to `options.url`. Resolves to the new
   * delivery (recorded too, `resendOf` naming the original); a failing receiver is recorded,
   * never thrown. Rejects when the delivery is unknown (or already dropped from the bounded log).
   */
  async resendWebhook(
    deliveryId: number,
    options?: MockResendOptions,
  ): Promise<MockWebhookDelivery> {
    return this.payments.resend(deliveryId, options);
  }

  /**
   * Makes the next matching request(s) fail: an error status, an HTML or malformed body, a slow
   * answer (`delayMs` alone), a reset connection or one that never answers (`drop: 'hang'`,
   * released by `stop()`). Faults apply before the rate limit and auth checks.
   */
  injectFault(fault: MockFault): void {
    this.faults.add(fault);
    this.state.changed();
  }

  /** Number of injected fault uses not consumed yet. */
  get pendingFaults(): number {
    return this.faults.pending;
  }

  /** Adds an account at runtime (missing fields generated) and returns it. */
  addAccount(seed: MockAccountSeed = {}): MockAccount {
    const account = createMockAccount(seed, this.environment);
    this.accounts.push(account);
    this.state.changed();
    return account;
  }

  /** Seeds a payout record (defaults: the docs' example values, the first account). */
  seedPayout(seed: Partial<MockPayout> = {}): MockPayout {
    const payout = buildPayout(seed, this.state.payoutId(), this.accounts[0].userId);
    this.state.payouts.push(payout);
    return payout;
  }

  /** Seeds a monthly tax invoice (defaults: the docs' example values, the first account). */
  seedTaxInvoice(seed: Partial<MockTaxInvoice> = {}): MockTaxInvoice {
    const invoice = buildTaxInvoice(seed, this.state.invoiceId(), this.accounts[0].userId);
    this.state.taxInvoices.push(invoice);
    return invoice;
  }

  /**
   * Plays the SecPaid admin deciding a refund request (no API exposes this). An approved refund
   * appears in getPayInTransactions as a negative entry with `transaction_type: "Refund"`
   * (how-to/refund, how-to/transactions). A link still allows only one refund request.
   */
  settleRefund(refundId: number, decision: 'Approved' | 'Rejected'): MockRefund {
    return this.payments.settleRefund(refundId, decision);
  }

  /** Clears links, pay-ins, refunds, payouts, invoices, requests, deliveries, faults and rate-limit windows; accounts stay. */
  reset(): void {
    this.state.clear();
    this.faults.clear();
    this.limiter.clear();
    this.state.changed();
  }

  /** Closes the server, every open connection (hung ones too) and pending delay timers. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.delays.cancelAll();
    this.dashboardEvents.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size <= MOCK_MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // Answer at once and stop reading: a huge body is neither kept nor parsed.
      tooLarge = true;
      chunks.length = 0;
      res.setHeader('connection', 'close');
      sendJson(res, 413, errorEnvelope('Request body too large'));
      req.resume();
    });
    req.on('end', () => {
      if (tooLarge) return;
      void this.route(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) {
          const message = error instanceof Error ? error.message : 'Internal error';
          sendJson(res, 500, errorEnvelope(message));
        }
      });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const path = url.pathname;
    // The dashboard is the developer's window on the mock, not traffic to it: not logged, not
    // faulted, not rate limited.
    if (isDashboardPath(path)) return routeDashboard(req, res, path, raw, this.dashboard);
    let body: MockBody | undefined;
    let parseError: string | undefined;
    try {
      body = parseRequestBody(raw, req.headers['content-type']);
    } catch (error) {
      parseError = error instanceof MockBodyParseError ? error.message : 'Unreadable body';
    }
    this.state.recordRequest(
      { method: req.method ?? '', path, headers: req.headers, body },
      Buffer.byteLength(raw),
    );

    const fault = this.faults.take(path);
    if (fault !== undefined && (await respondWithFault(fault, req, res, this.delays))) return;

    const endpoint = apiEndpointName(path);
    if (endpoint !== undefined) {
      routeApiRequest(req, res, endpoint, body, parseError, {
        environment: this.environment,
        accounts: this.accounts,
        limiter: this.limiter,
        context: (account) => ({
          state: this.state,
          account,
          knownRecipientTokens: this.recipientTokens(),
          baseUrl: this.origin,
        }),
      });
      // The writing endpoints change links and refunds (the dashboard coalesces the notices).
      if (WRITING_ENDPOINTS.has(endpoint)) this.state.changed();
      return;
    }
    await routePaymentPages(req, res, url, body ?? {}, {
      state: this.state,
      pay: (linkId) => this.pay(linkId),
      cancel: (linkId) => this.cancel(linkId),
      fail: (linkId) => this.fail(linkId),
    });
  }

  private recipientTokens(): Set<string> {
    return new Set([
      ...this.accounts
        .filter((a) => a.environment === this.environment)
        .map((a) => a.recipientToken),
      ...this.extraRecipientTokens,
    ]);
  }
}
