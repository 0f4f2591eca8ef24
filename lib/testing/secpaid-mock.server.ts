import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockAccount } from './mock-accounts.js';
import {
  MockBodyParseError,
  parseRequestBody,
  readString,
  type MockBody,
} from './mock-body.parser.js';
import { MOCK_ENDPOINTS } from './mock-endpoints.js';
import {
  AUTH_FAILURE_MESSAGE,
  MockApiError,
  errorEnvelope,
  type MockEnvelope,
} from './mock-envelope.util.js';
import { MockFaultInjector } from './mock-fault.injector.js';
import { berlinDate, decodeLinkId, randomAlphanumeric } from './mock-format.util.js';
import { notFoundPageHtml, paymentPageHtml, resultPageHtml } from './mock-payment.page.js';
import { MockPaymentSimulator } from './mock-payment.simulator.js';
import { MockRateLimiter } from './mock-rate-limiter.js';
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
  MockTaxInvoice,
  MockWebhookDelivery,
  SecPaidMockServerOptions,
} from './mock-server.types.js';
import { MockState } from './mock-state.js';

const MAX_BODY_BYTES = 1024 * 1024;
/** Undocumented: SecPaid's 429 body is not documented; the mock answers this envelope. */
const RATE_LIMIT_MESSAGE = 'Too Many Requests';

/**
 * A stateful SecPaid v2 server for tests, the sample app and local development
 * (`nestjs-secpaid/testing`). It follows secpaid-api.md: `POST /api/v2/<endpoint>` with the
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
 * // SecPaidModule.forRoot({ apiKey: mock.accounts[0].apiKey, environment: 'development', baseUrl: mock.baseUrl })
 * const { redirectUrl } = await mock.pay(linkId); // fires the webhook
 * await mock.stop();
 * ```
 */
export class SecPaidMockServer {
  /** The environment this instance plays; keys of the other environment are rejected. */
  readonly environment: MockEnvironment;
  /** Every seeded account (including ones seeded for the other environment). */
  readonly accounts: MockAccount[];
  private readonly state = new MockState();
  private readonly faults = new MockFaultInjector();
  private readonly limiter: MockRateLimiter;
  private readonly payments: MockPaymentSimulator;
  private readonly extraRecipientTokens: string[];
  private readonly delayTimers = new Set<NodeJS.Timeout>();
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
    const rateLimit = options.rateLimit ?? { requestsPerMinute: 60 };
    this.limiter = new MockRateLimiter(rateLimit === false ? false : rateLimit.requestsPerMinute);
    this.extraRecipientTokens = [...(options.recipientTokens ?? [])];
    this.payments = new MockPaymentSimulator({
      state: this.state,
      accountOf: (userId) => this.accounts.find((a) => a.userId === userId),
      baseUrl: () => this.origin,
      webhookTimeoutMs: options.webhookTimeoutMs ?? 5000,
    });
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

  /** Every request received (any path), in order, with the parsed body. */
  get requests(): MockRequestRecord[] {
    return this.state.requests;
  }

  /** Every webhook POST made by `pay()`/`cancel()`, with the receiver's status or error. */
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
   * Makes the next matching request(s) fail: an error status, an HTML or malformed body, a slow
   * answer (`delayMs` alone), a reset connection or one that never answers (`drop: 'hang'`,
   * released by `stop()`). Faults apply before the rate limit and auth checks.
   */
  injectFault(fault: MockFault): void {
    this.faults.add(fault);
  }

  /** Number of injected fault uses not consumed yet. */
  get pendingFaults(): number {
    return this.faults.pending;
  }

  /** Adds an account at runtime (missing fields generated) and returns it. */
  addAccount(seed: MockAccountSeed = {}): MockAccount {
    const account = createMockAccount(seed, this.environment);
    this.accounts.push(account);
    return account;
  }

  /** Seeds a payout record for an account (default: the first account). */
  seedPayout(seed: Partial<MockPayout> = {}): MockPayout {
    const createdAt = seed.createdAt ?? new Date();
    const payoutAmount = seed.payoutAmount ?? 74.06;
    const serviceFee = seed.serviceFee ?? 0.73;
    const payout: MockPayout = {
      payoutId: this.state.payoutId(),
      userId: this.accounts[0].userId,
      transactionId: `${berlinDate(createdAt).replaceAll('-', '')}-po-${randomAlphanumeric(10)}`,
      payoutAmount,
      serviceFee,
      netAmount: Math.round((payoutAmount - serviceFee) * 100) / 100,
      payoutStatus: 'InProgress',
      requestDate: berlinDate(createdAt),
      createdAt,
      isSplit: false,
      transactionType: 'Basic',
      ...seed,
    };
    this.state.payouts.push(payout);
    return payout;
  }

  /** Seeds a monthly tax invoice for an account (default: the first account). */
  seedTaxInvoice(seed: Partial<MockTaxInvoice> = {}): MockTaxInvoice {
    const createdAt = seed.createdAt ?? new Date();
    const invoiceDate = seed.invoiceDate ?? berlinDate(createdAt);
    const invoice: MockTaxInvoice = {
      sfId: this.state.invoiceId(),
      userId: this.accounts[0].userId,
      company: 'Acme GmbH',
      name: 'Max Mustermann',
      street: 'Musterstraße',
      houseNo: '1',
      city: 'Berlin',
      country: 'Germany',
      zipcode: '10115',
      invoiceId: `${invoiceDate.slice(0, 7).replace('-', '')}-sf-${randomAlphanumeric(10)}`,
      invoiceDate,
      serviceMonth: 'April 2026',
      totalSecpaidFee: 10.38,
      totalPspFee: 245.15,
      vat: 0,
      createdAt,
      ...seed,
    };
    this.state.taxInvoices.push(invoice);
    return invoice;
  }

  /** Clears links, pay-ins, refunds, payouts, invoices, requests, deliveries, faults and rate-limit windows; accounts stay. */
  reset(): void {
    this.state.clear();
    this.faults.clear();
    this.limiter.clear();
  }

  /** Closes the server, every open connection (hung ones too) and pending delay timers. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.delayTimers) clearTimeout(timer);
    this.delayTimers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      void this.route(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) {
          const message = error instanceof Error ? error.message : 'Internal error';
          this.sendJson(res, 500, errorEnvelope(message));
        }
      });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const path = url.pathname;
    let body: MockBody | undefined;
    let parseError: string | undefined;
    try {
      body = parseRequestBody(raw, req.headers['content-type']);
    } catch (error) {
      parseError = error instanceof MockBodyParseError ? error.message : 'Unreadable body';
    }
    this.state.requests.push({ method: req.method ?? '', path, headers: req.headers, body });

    const fault = this.faults.take(path);
    if (fault !== undefined && (await this.applyFault(fault, req, res))) return;

    if (path.startsWith('/api/v2/')) {
      this.handleApi(req, res, path.slice('/api/v2/'.length), body, parseError);
      return;
    }
    await this.handlePages(req, res, url, body ?? {});
  }

  /** Returns true when the fault answered (or dropped) the request. */
  private async applyFault(
    fault: MockFault,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    if (fault.delayMs !== undefined && fault.delayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.delayTimers.delete(timer);
          resolve();
        }, fault.delayMs);
        this.delayTimers.add(timer);
      });
      if (this.stopped || req.socket.destroyed) return true;
    }
    if (fault.drop === 'reset') {
      req.socket.destroy();
      return true;
    }
    if (fault.drop === 'hang') return true; // never answered; stop() closes the socket
    if (fault.status === undefined && fault.body === undefined) {
      if (fault.headers !== undefined) {
        for (const [name, value] of Object.entries(fault.headers)) res.setHeader(name, value);
      }
      return false; // a pure delay: answer normally
    }
    const status = fault.status ?? (fault.body === undefined ? 500 : 200);
    let text: string;
    let contentType: string;
    if (fault.body === undefined) {
      text = JSON.stringify(errorEnvelope('Internal Server Error'));
      contentType = 'application/json';
    } else if (typeof fault.body === 'string') {
      text = fault.body;
      contentType = /^\s*</.test(text) ? 'text/html; charset=utf-8' : 'application/json';
    } else {
      text = JSON.stringify(fault.body);
      contentType = 'application/json';
    }
    res.writeHead(status, { 'content-type': contentType, ...fault.headers });
    res.end(text);
    return true;
  }

  private handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: string,
    body: MockBody | undefined,
    parseError: string | undefined,
  ): void {
    const token = this.tokenOf(req);
    const retryAfter = this.limiter.hit(token ?? `ip:${req.socket.remoteAddress ?? ''}`);
    if (retryAfter !== undefined) {
      res.setHeader('Retry-After', String(retryAfter));
      this.sendJson(res, 429, errorEnvelope(RATE_LIMIT_MESSAGE));
      return;
    }
    const account = this.accounts.find(
      (a) => a.apiKey === token && a.environment === this.environment,
    );
    if (account === undefined) {
      this.sendJson(res, 401, errorEnvelope(AUTH_FAILURE_MESSAGE));
      return;
    }
    const handler = Object.hasOwn(MOCK_ENDPOINTS, endpoint) ? MOCK_ENDPOINTS[endpoint] : undefined;
    // Undocumented: the messages for unknown routes, wrong methods and bad bodies are the mock's own.
    if (handler === undefined) {
      this.sendJson(res, 404, errorEnvelope('Route not found'));
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      this.sendJson(res, 405, errorEnvelope('Method not allowed'));
      return;
    }
    if (body === undefined) {
      this.sendJson(res, 400, errorEnvelope(parseError ?? 'Invalid request body'));
      return;
    }
    let envelope: MockEnvelope;
    try {
      envelope = handler(body, {
        state: this.state,
        account,
        knownRecipientTokens: this.recipientTokens(),
        baseUrl: this.origin,
      });
    } catch (error) {
      if (!(error instanceof MockApiError)) throw error;
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      this.sendJson(res, error.httpStatus, errorEnvelope(error.message));
      return;
    }
    this.sendJson(res, 200, envelope);
  }

  private tokenOf(req: IncomingMessage): string | undefined {
    const header = req.headers.token;
    const value = Array.isArray(header) ? header[0] : header;
    return value === undefined || value === '' ? undefined : value;
  }

  private recipientTokens(): Set<string> {
    return new Set([
      ...this.accounts
        .filter((a) => a.environment === this.environment)
        .map((a) => a.recipientToken),
      ...this.extraRecipientTokens,
    ]);
  }

  /** Hosted payment page, its Pay/Cancel form targets and the mock's result page. */
  private async handlePages(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: MockBody,
  ): Promise<void> {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/payment') {
      const encoded = url.searchParams.get('link_id') ?? '';
      const link = this.linkFromEncoded(encoded);
      if (link === undefined) return this.sendHtml(res, 404, notFoundPageHtml());
      return this.sendHtml(res, 200, paymentPageHtml(link, encoded));
    }
    if (req.method === 'POST' && (path === '/payment/pay' || path === '/payment/cancel')) {
      const link = this.linkFromEncoded(readString(body.link_id) ?? '');
      if (link === undefined) return this.sendHtml(res, 404, notFoundPageHtml());
      try {
        const result =
          path === '/payment/pay' ? await this.pay(link.id) : await this.cancel(link.id);
        res.writeHead(303, { location: result.redirectUrl });
        res.end();
      } catch (error) {
        const message = error instanceof Error ? error.message : 'Payment failed';
        this.sendHtml(res, 409, `<!doctype html><p>${message.replace(/[<>&]/g, '')}</p>`);
      }
      return;
    }
    if (req.method === 'GET' && path === '/payment/result') {
      const status = url.searchParams.get('status') ?? '';
      return this.sendHtml(res, 200, resultPageHtml(status, url.searchParams.get('pay_id') ?? ''));
    }
    this.sendJson(res, 404, errorEnvelope('Route not found'));
  }

  private linkFromEncoded(encoded: string): MockLink | undefined {
    const id = decodeLinkId(encoded);
    return id === undefined ? undefined : this.state.findLink(id);
  }

  private sendJson(res: ServerResponse, status: number, envelope: MockEnvelope): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(envelope));
  }

  private sendHtml(res: ServerResponse, status: number, html: string): void {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  }
}
