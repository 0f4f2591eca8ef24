/**
 * pay()/cancel()/fail(): the payer's side of a link. Changes state, POSTs the webhook to every
 * payment endpoint of the link, and computes the browser redirect (docs/secpaid-api.md §4, §5,
 * §7.1). resend(): the same body again, as a developer replays a delivery.
 * settleRefund(): the admin's side of a refund request, with the negative pay-in it books.
 */
import { redirectTargetOf, webhookUrlsOf } from '../accounts/account-urls.resolver.js';
import { assertEncryptionKey } from '../accounts/account.factory.js';
import { roundCents, transactionId } from '../api/wire-format.util.js';
import type {
  MockAccount,
  MockLink,
  MockPayIn,
  MockPaymentOptions,
  MockPaymentResult,
  MockRefund,
  MockResendOptions,
  MockWebhookDelivery,
  MockWebhookFormat,
} from '../secpaid-mock.types.js';
import type { MockState } from '../server/state.store.js';
import {
  buildWebhookBody,
  defaultWebhookFormat,
  postWebhook,
  type MockWebhookBody,
  type MockWebhookEvent,
} from './webhook.sender.js';

/** What the simulator needs from the server. */
export interface MockPaymentDeps {
  state: MockState;
  accountOf(userId: string): MockAccount | undefined;
  baseUrl(): string;
  webhookTimeoutMs: number;
  /** The body shape when a call names none (else {@link defaultWebhookFormat}). */
  webhookFormat: MockWebhookFormat | undefined;
  /** Told about every webhook POST once its outcome is known (the CLI prints it). */
  onWebhookDelivery?: (delivery: MockWebhookDelivery) => void;
}

/** SecPaid's fee: 1 % (the links' `servicefee` is `"1.0"`); PSP: 1.4 % + 0.25 EUR (made up). */
function fees(amount: number): { serviceFee: number; serviceFeePsp: number; netAmount: number } {
  const serviceFee = roundCents(amount * 0.01);
  const serviceFeePsp = roundCents(amount * 0.014 + 0.25);
  return { serviceFee, serviceFeePsp, netAmount: roundCents(amount - serviceFee - serviceFeePsp) };
}

/** Thrown by pay()/cancel() for a link that cannot be paid or cancelled. */
export class MockPaymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MockPaymentError';
  }
}

/**
 * Simulates the payer (pay or cancel a link, notify the payment endpoints, compute the redirect)
 * and the admin settling a refund request.
 */
export class MockPaymentSimulator {
  constructor(private readonly deps: MockPaymentDeps) {}

  /** Pays an Unused link: link -> Used, a pay-in, the success webhook(s), the redirect URL. */
  async pay(linkId: number, options: MockPaymentOptions = {}): Promise<MockPaymentResult> {
    const { link, account } = this.payable(linkId);
    if (options.visibleAfterMs !== undefined) {
      const delay = options.visibleAfterMs;
      if (!Number.isFinite(delay) || delay < 0) {
        throw new MockPaymentError('visibleAfterMs must be a finite number >= 0');
      }
    }
    const now = new Date();
    link.status = 'Used';
    link.paidAt = now;
    const method = options.method ?? 'card';
    const payIn: MockPayIn = {
      payId: link.id,
      userId: link.userId,
      transactionId: transactionId('pi', now),
      amount: link.amount,
      ...fees(link.amount),
      status: 'Success',
      note: link.note,
      payoutStatus: 'Pending',
      createdAt: now,
      isSplit: link.isSplit,
      isDispute: false,
      isRefund: false,
      paymentMethod: method,
      transactionType: link.transactionType,
    };
    if (options.visibleAfterMs !== undefined) {
      payIn.visibleAt = new Date(now.getTime() + options.visibleAfterMs);
    }
    this.deps.state.payIns.push(payIn);
    this.deps.state.changed();
    const deliveries = await this.notify(link, account, 'success', options);
    return { redirectUrl: this.redirectUrl(link, account, 'success'), deliveries, payIn };
  }

  /** Cancels an Unused, cancellable link: link -> Cancelled, the cancel webhook(s), the redirect. */
  async cancel(linkId: number, options: MockPaymentOptions = {}): Promise<MockPaymentResult> {
    const { link, account } = this.payable(linkId);
    if (!link.cancellable) throw new MockPaymentError(`Link ${linkId} is not cancellable`);
    link.status = 'Cancelled';
    link.cancelledAt = new Date();
    this.deps.state.changed();
    const deliveries = await this.notify(link, account, 'cancel', options);
    return { redirectUrl: this.redirectUrl(link, account, 'cancel'), deliveries };
  }

  /**
   * A failed payment attempt on an Unused link (a declined card): no pay-in, the link stays
   * `Unused` (the payer may try again) with `failedAt` set, the `Failed` webhook(s), and the
   * redirect with `status=failed` (the failure value of the redirect is undocumented; the mock's
   * choice, in the lower case of `success` and `cancel`).
   */
  async fail(linkId: number, options: MockPaymentOptions = {}): Promise<MockPaymentResult> {
    const { link, account } = this.payable(linkId);
    link.failedAt = new Date();
    this.deps.state.changed();
    const deliveries = await this.notify(link, account, 'failed', options);
    return { redirectUrl: this.redirectUrl(link, account, 'failed'), deliveries };
  }

  /**
   * POSTs the body of delivery `deliveryId` again, with the same headers, to the same URL or to
   * `options.url`; records and returns the new delivery (its `resendOf` names the original).
   */
  async resend(deliveryId: number, options: MockResendOptions = {}): Promise<MockWebhookDelivery> {
    const original = this.deps.state.webhookDeliveries.find((d) => d.id === deliveryId);
    if (original === undefined) {
      throw new MockPaymentError(
        `Delivery ${deliveryId} not found (the delivery log keeps the most recent entries only)`,
      );
    }
    const url = options.url ?? original.url;
    const { event, payId, userId, format, contentType, body, encrypted, decryptedBody } = original;
    return this.deliver(url, { body, contentType, encrypted, decryptedBody }, format, {
      event,
      payId,
      userId,
      resendOf: original.id,
    });
  }

  /**
   * Plays the SecPaid admin deciding a refund request. An approved refund appears in
   * getPayInTransactions as a negative pay-in with `transaction_type: "Refund"`.
   */
  settleRefund(refundId: number, decision: 'Approved' | 'Rejected'): MockRefund {
    const { state } = this.deps;
    const refund = state.refunds.find((r) => r.refundId === refundId);
    if (refund === undefined) throw new Error(`Refund ${refundId} not found`);
    if (refund.status !== 'Pending') throw new Error(`Refund ${refundId} is ${refund.status}`);
    refund.status = decision;
    if (decision === 'Approved') state.payIns.push(this.refundPayIn(refund));
    state.changed();
    return refund;
  }

  /** The negative pay-in of an approved refund; note, split flag and method from the original. */
  private refundPayIn(refund: MockRefund): MockPayIn {
    const original = this.deps.state.payIns.find((p) => p.payId === refund.payId);
    const now = new Date();
    return {
      payId: refund.payId,
      userId: refund.userId,
      transactionId: transactionId('pi', now),
      amount: -refund.amount,
      serviceFee: 0,
      serviceFeePsp: 0,
      netAmount: -refund.amount,
      status: 'Success',
      note: original?.note ?? '',
      payoutStatus: 'Pending',
      createdAt: now,
      isSplit: original?.isSplit ?? false,
      isDispute: false,
      isRefund: true,
      paymentMethod: original?.paymentMethod ?? null,
      transactionType: 'Refund',
    };
  }

  private payable(linkId: number): { link: MockLink; account: MockAccount } {
    const link = this.deps.state.findLink(linkId);
    if (link === undefined) throw new MockPaymentError(`Link ${linkId} not found`);
    if (link.status !== 'Unused') {
      throw new MockPaymentError(`Link ${linkId} is ${link.status}, not Unused`);
    }
    const account = this.deps.accountOf(link.userId);
    if (account === undefined) throw new MockPaymentError(`Link ${linkId} has no account`);
    return { link, account };
  }

  private encryptionKey(
    link: MockLink,
    account: MockAccount,
    options: MockPaymentOptions,
  ): string | undefined {
    if (options.encrypt === false) return undefined;
    if (typeof options.encrypt === 'string') {
      assertEncryptionKey(options.encrypt);
      return options.encrypt;
    }
    const linkKey = link.isEncryption ? link.encryptionKey : undefined;
    const key = linkKey ?? account.encryptionKey;
    if (options.encrypt === true && key === undefined) {
      throw new MockPaymentError('encrypt: true needs a link or account encryption key');
    }
    return key;
  }

  private async notify(
    link: MockLink,
    account: MockAccount,
    event: MockWebhookEvent,
    options: MockPaymentOptions,
  ): Promise<MockWebhookDelivery[]> {
    if (options.sendWebhooks === false) return [];
    const key = this.encryptionKey(link, account, options);
    const format =
      options.webhookFormat ?? this.deps.webhookFormat ?? defaultWebhookFormat(key !== undefined);
    const body = buildWebhookBody(link, event, format, key);
    const deliveries: MockWebhookDelivery[] = [];
    for (const url of webhookUrlsOf(link, account)) {
      deliveries.push(
        await this.deliver(url, body, format, { event, payId: link.id, userId: link.userId }),
      );
    }
    return deliveries;
  }

  /** POSTs one body, records the delivery (bounded log) and tells `onWebhookDelivery`. */
  private async deliver(
    url: string,
    body: MockWebhookBody,
    format: MockWebhookFormat,
    about: Pick<MockWebhookDelivery, 'event' | 'payId' | 'userId' | 'resendOf'>,
  ): Promise<MockWebhookDelivery> {
    const id = this.deps.state.deliveryId();
    const sentAt = new Date();
    const outcome = await postWebhook(url, body, this.deps.webhookTimeoutMs);
    const delivery: MockWebhookDelivery = {
      id,
      ...about,
      url,
      format,
      contentType: body.contentType,
      body: body.body,
      encrypted: body.encrypted,
      sentAt,
      ...outcome,
    };
    if (body.decryptedBody !== undefined) delivery.decryptedBody = body.decryptedBody;
    if (delivery.resendOf === undefined) delete delivery.resendOf;
    this.deps.state.recordDelivery(delivery);
    this.deps.onWebhookDelivery?.(delivery);
    return delivery;
  }

  /** `callback_url?pay_id=&user_id=&status=`; the first resolved URL, else the mock's result page. */
  redirectUrl(link: MockLink, account: MockAccount, status: MockWebhookEvent): string {
    const target = redirectTargetOf(link, account) ?? `${this.deps.baseUrl()}/payment/result`;
    const query = new URLSearchParams({ pay_id: String(link.id), user_id: link.userId, status });
    return `${target}${target.includes('?') ? '&' : '?'}${query.toString()}`;
  }
}
