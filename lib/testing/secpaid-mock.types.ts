import type { IncomingHttpHeaders } from 'node:http';

/** The SecPaid environment one mock instance plays. */
export type MockEnvironment = 'production' | 'development';

/**
 * A SecPaid account the mock knows. Its `apiKey` is accepted in the `token` header only by a
 * server playing the account's `environment`.
 */
export interface MockAccount {
  /** The raw API key sent in the `token` header. */
  apiKey: string;
  /** The account's user id (a UUID), echoed as `user_id`. */
  userId: string;
  /** The account's recipient token, usable in other accounts' split links. */
  recipientToken: string;
  /** Profile callback URLs; a link's `callback_url` may reference them by zero-based index. */
  callbackUrls: string[];
  /** Profile payment endpoints (webhook URLs); referenced by zero-based index or used by default. */
  paymentEndpoints: string[];
  /** Account-level webhook encryption key (32 characters); when set, webhooks are encrypted. */
  encryptionKey?: string;
  /** The environment the key belongs to; a key of the other environment is rejected like an unknown one. */
  environment: MockEnvironment;
}

/** What may be given for an account; every missing field is generated. */
export type MockAccountSeed = Partial<MockAccount>;

/** Options of {@link SecPaidMockServer.start}. */
export interface SecPaidMockServerOptions {
  /** TCP port; `0` (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** The environment this instance plays; default `development`. */
  environment?: MockEnvironment;
  /** Seeded accounts; one account is generated when none is given. */
  accounts?: MockAccountSeed[];
  /** Requests per minute per key (default 60), or `false` to disable the limit. */
  rateLimit?: { requestsPerMinute: number } | false;
  /** Extra recipient tokens that exist without an API account (for split links). */
  recipientTokens?: string[];
  /** Timeout of each webhook POST made by `pay()`/`cancel()`; default 5000 ms. */
  webhookTimeoutMs?: number;
  /**
   * Bounds of `requests` and of `webhookDeliveries` (the oldest entries are dropped first): at
   * most `maxEntries` records each (default 1000) and `maxBodyBytes` of bodies in total each
   * (default 16 MiB). The dashboard shows these same bounded histories.
   */
  requestLog?: { maxEntries?: number; maxBodyBytes?: number };
  /** Called after every webhook POST with its outcome (the `secpaid-mock` CLI prints each one). */
  onWebhookDelivery?: (delivery: MockWebhookDelivery) => void;
  /**
   * Body shape of every webhook unless `pay()`/`cancel()`/`fail()` say otherwise: `form`
   * (`ResponseCode=1&data[pay_id]=...&data[status]=Success`, what SecPaid's own plugin reads) or
   * `json` (the nested shape the docs pages show). Default: `form`, and for an encrypted webhook
   * `json` (`{"data":"<base64>"}`, concepts/encryption). See docs/secpaid-api.md §4.4.
   */
  webhookFormat?: MockWebhookFormat;
}

/** Link lifecycle states (docs/secpaid-api.md §7.1). */
export type MockLinkStatus = 'Unused' | 'Used' | 'Cancelled' | 'Deleted';

/** One split recipient as stored by the mock. */
export interface MockRecipient {
  token: string;
  share: number;
}

/** A payment link in the mock's state (camelCase; the wire shapes are derived from it). */
export interface MockLink {
  id: number;
  userId: string;
  amount: number;
  note: string;
  status: MockLinkStatus;
  /** The `callback_url` value as sent (URL, index, or comma-separated mix), `''` when absent. */
  callbackUrl: string;
  /** The `payment_endpoint` value as sent (URL, index, or comma-separated mix), `''` when absent. */
  paymentEndpoint: string;
  cancellable: boolean;
  bankTransfer: boolean;
  isQrLink: boolean;
  isSplit: boolean;
  splitType: 'normal' | 'absolute';
  recipients: MockRecipient[];
  /** `is_encryption: "true"` was sent on creation. */
  isEncryption: boolean;
  /** The per-link `encryption_key`, if one was sent. */
  encryptionKey?: string;
  bankStatementDescription: string;
  /** `Basic`, `Split` or `Personal QR`. */
  transactionType: string;
  createdAt: Date;
  paidAt?: Date;
  cancelledAt?: Date;
  /** The last failed payment attempt (`fail()`); the link stays `Unused` and payable. */
  failedAt?: Date;
  payLink: string;
  qrImg: string;
}

/** A pay-in (a successful payment) in the mock's state. */
export interface MockPayIn {
  /** Same number as the link id. */
  payId: number;
  userId: string;
  /** `YYYYMMDD-pi-XXXXXXXXXX`. */
  transactionId: string;
  amount: number;
  serviceFee: number;
  serviceFeePsp: number;
  netAmount: number;
  status: string;
  note: string;
  payoutStatus: string;
  createdAt: Date;
  isSplit: boolean;
  isDispute: boolean;
  isRefund: boolean;
  paymentMethod: string | null;
  transactionType: string;
  /** Hidden from getPayInTransactions until then (replication lag; `pay({ visibleAfterMs })`). */
  visibleAt?: Date;
}

/** A refund request (always created `Pending`; no endpoint exposes it, see docs/secpaid-api.md §3.4). */
export interface MockRefund {
  refundId: number;
  payId: number;
  userId: string;
  amount: number;
  isFullRefund: boolean;
  status: 'Pending' | 'Approved' | 'Rejected' | 'Completed';
  createdAt: Date;
}

/** A payout record (seed with `seedPayout`). */
export interface MockPayout {
  payoutId: number;
  userId: string;
  /** `YYYYMMDD-po-XXXXXXXXXX`. */
  transactionId: string;
  payoutAmount: number;
  serviceFee: number;
  netAmount: number;
  payoutStatus: 'InProgress' | 'Approved';
  /** `YYYY-MM-DD`. */
  requestDate: string;
  createdAt: Date;
  isSplit: boolean;
  transactionType: string;
}

/** A monthly service-fee tax invoice (seed with `seedTaxInvoice`). */
export interface MockTaxInvoice {
  sfId: number;
  userId: string;
  company: string;
  name: string;
  street: string;
  houseNo: string;
  city: string;
  country: string;
  zipcode: string;
  /** `YYYYMM-sf-XXXXXXXXXX`. */
  invoiceId: string;
  /** `YYYY-MM-DD`. */
  invoiceDate: string;
  serviceMonth: string;
  totalSecpaidFee: number;
  totalPspFee: number;
  vat: number;
  createdAt: Date;
}

/** One request the mock received, recorded before any fault, rate limit or auth check. */
export interface MockRequestRecord {
  method: string;
  /** Path without the query string, e.g. `/api/v2/createLink`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed body (JSON or form, brackets nested), `undefined` when empty or unparseable. */
  body: unknown;
}

/** A failure to inject into the next matching request(s). */
export interface MockFault {
  /** Endpoint name (`createLink`) or path (`/payment`); absent = any `/api/v2/*` request. */
  endpoint?: string;
  /** How many matching requests get the fault; default 1. */
  times?: number;
  /** HTTP status to answer with; default 500 when no `body` is given, 200 with a `body`. */
  status?: number;
  /** Body to answer with: a string is sent as is (HTML, malformed JSON), anything else as JSON. */
  body?: unknown;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** Wait this long first; without status/body/drop the normal answer follows (a slow answer). */
  delayMs?: number;
  /** `reset`: destroy the socket; `hang`: never answer (released by `stop()`). */
  drop?: 'reset' | 'hang';
}

/** Webhook body shapes the mock can send (docs/secpaid-api.md §4.4). */
export type MockWebhookFormat = 'json' | 'form';

/** Options of `pay()`, `cancel()` and `fail()`. */
export interface MockPaymentOptions {
  /** Pay-in `payment_method` (`card` by default; `Bank Transfer`, `paypal`, ...). pay() only. */
  method?: string;
  /**
   * `form`: `ResponseCode=1&data[pay_id]=...` bracket keys, form-urlencoded; `json`: nested
   * `{"ResponseCode":1,"data":{...}}`. Default: the server's `webhookFormat` (see there).
   */
  webhookFormat?: MockWebhookFormat;
  /**
   * `true`: encrypt with the link's or account's key; a string: encrypt with this 32-character key;
   * `false`: never encrypt. Default: encrypt when the link or account has a key.
   */
  encrypt?: boolean | string;
  /** `false` skips the webhook POSTs (e.g. to mimic concepts/payment-endpoint's "no webhook on cancel"). */
  sendWebhooks?: boolean;
  /**
   * pay() only: the pay-in shows in getPayInTransactions only this many ms after the payment
   * (the webhook is sent at once), as when SecPaid's lists lag behind its webhooks.
   */
  visibleAfterMs?: number;
}

/** The outcome of one webhook POST. */
export interface MockWebhookDelivery {
  /** Delivery id, unique per mock (1, 2, ...); pass it to `resendWebhook()`. */
  id: number;
  /** `success` (paid), `cancel` (payer cancelled) or `failed` (payment attempt failed). */
  event: 'success' | 'cancel' | 'failed';
  payId: number;
  /** The account the link belongs to. */
  userId: string;
  url: string;
  /** The body shape (`form` or `json`; encrypted bodies keep the shape they were asked in). */
  format: MockWebhookFormat;
  contentType: string;
  /** The exact body sent. */
  body: string;
  /** For an encrypted body: the JSON that was encrypted (what the receiver decrypts). */
  decryptedBody?: string;
  encrypted: boolean;
  /** When the POST started. */
  sentAt: Date;
  /** Time until the receiver's answer (or the network error), in ms. */
  durationMs: number;
  /** The delivery this one resends (`resendWebhook()`), if any. */
  resendOf?: number;
  /** HTTP status of the receiver, absent when the request failed. */
  status?: number;
  /** Network error message when the POST failed. */
  error?: string;
  /** Receiver's response body (first 2000 characters). */
  responseBody?: string;
}

/** Options of `resendWebhook()`. */
export interface MockResendOptions {
  /** Send to this URL instead of the original delivery's (same body, same headers). */
  url?: string;
}

/** What `pay()`, `cancel()` and `fail()` resolve to. */
export interface MockPaymentResult {
  /** Where the payer's browser is sent (`callback_url?pay_id=&user_id=&status=`). */
  redirectUrl: string;
  /** The webhook POSTs made, in order. */
  deliveries: MockWebhookDelivery[];
  /** The pay-in created by `pay()`. */
  payIn?: MockPayIn;
}
