import { Injectable } from '@nestjs/common';
import { SecPaidWebhookHandler } from 'nestjs-secpaid';
import type { SecPaidWebhookEvent } from 'nestjs-secpaid';

@Injectable()
export class PaymentsListener {
  readonly paid: SecPaidWebhookEvent[] = [];

  @SecPaidWebhookHandler('payment.succeeded')
  onPaid(event: SecPaidWebhookEvent): void {
    this.paid.push(event);
  }
}
