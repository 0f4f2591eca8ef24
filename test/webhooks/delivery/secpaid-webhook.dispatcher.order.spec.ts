import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { SecPaidWebhookHandler } from '../../../lib/webhooks/delivery/secpaid-webhook-handler.decorator.js';
import { SecPaidWebhookDispatcher } from '../../../lib/webhooks/delivery/secpaid-webhook.dispatcher.js';
import type { SecPaidWebhookEvent } from '../../../lib/models/secpaid-webhook-event.model.js';
import { bootstrapTestApp } from '../../support/test-app.builder.js';

const steps: string[] = [];

/** Yields to the event loop a few times, so a parallel dispatcher would interleave. */
async function work(name: string): Promise<void> {
  steps.push(`${name}:start`);
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  steps.push(`${name}:end`);
}

@Injectable()
class Ledger {
  @SecPaidWebhookHandler('payment.succeeded')
  async book(): Promise<void> {
    await work('ledger');
  }
}

@Injectable()
class Mailer {
  @SecPaidWebhookHandler()
  async notify(): Promise<void> {
    await work('mailer');
  }

  @SecPaidWebhookHandler('payment.succeeded')
  async receipt(): Promise<void> {
    await work('receipt');
  }
}

const paid: SecPaidWebhookEvent = {
  type: 'payment.succeeded',
  payId: 3,
  encrypted: false,
  confirmed: true,
  raw: {},
};

describe('SecPaidWebhookDispatcher runs handlers one after another', () => {
  it('each handler finishes before the next one starts (no interleaving)', async () => {
    const app = await bootstrapTestApp(DiscoveryModule)
      .withProviders(Ledger, Mailer, SecPaidWebhookDispatcher)
      .init();
    try {
      steps.length = 0;
      expect(await app.get(SecPaidWebhookDispatcher).dispatch(paid)).toBe(3);
      // Whatever the discovery order, every start is directly followed by its own end.
      expect(steps).toHaveLength(6);
      for (let i = 0; i < steps.length; i += 2) {
        const name = steps[i]!.replace(':start', '');
        expect(steps.slice(i, i + 2)).toEqual([`${name}:start`, `${name}:end`]);
      }
      expect(new Set(steps.map((s) => s.split(':')[0]))).toEqual(
        new Set(['ledger', 'mailer', 'receipt']),
      );
    } finally {
      await app.close();
    }
  });
});
