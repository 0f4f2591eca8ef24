import { Injectable, Logger } from '@nestjs/common';
import {
  SECPAID_DEFAULT_INSTANCE,
  SecPaidWebhookHandler,
  type SecPaidWebhookEvent,
} from 'nestjs-secpaid';
import { OrdersStore } from './orders.store.js';

/**
 * Receives SecPaid webhooks of both merchants, through the package's controllers
 * (`POST /secpaid/webhook` for the shop, `POST /secpaid/merchant-b/webhook` for the second
 * merchant); `event.instance` says which account the payment belongs to.
 * The module confirms a `payment.succeeded` with `getPayInTransactions` before calling us
 * (`webhooks.confirmPayments`, on by default), so a forged "paid" webhook never gets here.
 */
@Injectable()
export class OrderWebhooksHandler {
  private readonly logger = new Logger(OrderWebhooksHandler.name);

  constructor(private readonly orders: OrdersStore) {}

  // `instance: '*'`: both merchants' events (a handler naming no instance gets the default's only).
  @SecPaidWebhookHandler({ type: 'payment.succeeded', instance: '*' })
  onPaymentSucceeded(event: SecPaidWebhookEvent): void {
    const order = this.orderOf(event);
    if (order === undefined) {
      this.logger.warn(`Payment ${event.payId} matches no order; ignored`);
      return;
    }
    // Compare in cents: the link was created for exactly the order's amount.
    const paidCents = event.amount === undefined ? undefined : Math.round(event.amount * 100);
    if (paidCents !== undefined && paidCents !== Math.round(order.amount * 100)) {
      this.orders.setStatus(order, 'amount_mismatch', event.confirmed);
      this.logger.warn(`Order ${order.id}: paid ${event.amount} EUR, expected ${order.amount}`);
      return;
    }
    this.orders.setStatus(order, 'paid', event.confirmed);
    this.logger.log(`Order ${order.id} paid (confirmed: ${event.confirmed})`);
  }

  @SecPaidWebhookHandler({ type: 'payment.cancelled', instance: '*' })
  onPaymentCancelled(event: SecPaidWebhookEvent): void {
    const order = this.orderOf(event);
    if (order === undefined || order.status === 'paid') return;
    this.orders.setStatus(order, 'cancelled', false);
    this.logger.log(`Order ${order.id} cancelled`);
  }

  private orderOf(event: SecPaidWebhookEvent) {
    return this.orders.findByLink(event.instance ?? SECPAID_DEFAULT_INSTANCE, event.payId);
  }
}
