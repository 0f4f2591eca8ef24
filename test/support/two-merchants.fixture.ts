import 'reflect-metadata';
import { Injectable, type DynamicModule, type LoggerService } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  InjectSecPaidService,
  SecPaidModule,
  SecPaidService,
  SecPaidWebhookHandler,
  type SecPaidModuleOptions,
  type SecPaidWebhookEvent,
} from '../../lib/index.js';
import { SecPaidHealthModule } from '../../lib/health/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { SECPAID_WEBHOOK_TUNING } from '../../lib/secpaid.constants.js';
import { bootstrapTestApp, type TestApp } from './test-app.builder.js';
import { FAST_TUNING } from './webhook-app.harness.js';

/** Account B's webhook encryption key (account A sends plain webhooks). */
export const KEY_B = 'merchant-b-key-0123456789abcdefg';

export const ROUTE_A = 'hooks/merchant-a';
export const ROUTE_B = 'hooks/merchant-b';

/** Records what each kind of handler received. */
@Injectable()
export class MerchantHandlers {
  readonly merchantA: SecPaidWebhookEvent[] = [];
  readonly merchantBPaid: SecPaidWebhookEvent[] = [];
  /** An untargeted handler: the default instance's events only (none exists here). */
  readonly any: SecPaidWebhookEvent[] = [];
  readonly every: SecPaidWebhookEvent[] = [];

  @SecPaidWebhookHandler({ instance: 'merchant-a' })
  onMerchantA(event: SecPaidWebhookEvent): void {
    this.merchantA.push(event);
  }

  @SecPaidWebhookHandler({ instance: 'merchant-b', type: 'payment.succeeded' })
  onMerchantBPaid(event: SecPaidWebhookEvent): void {
    this.merchantBPaid.push(event);
  }

  @SecPaidWebhookHandler()
  onAny(event: SecPaidWebhookEvent): void {
    this.any.push(event);
  }

  @SecPaidWebhookHandler({ instance: '*' })
  onEvery(event: SecPaidWebhookEvent): void {
    this.every.push(event);
  }

  clear(): void {
    for (const list of [this.merchantA, this.merchantBPaid, this.any, this.every]) {
      list.length = 0;
    }
  }
}

/** A consumer of both instances, injected by name. */
@Injectable()
export class Marketplace {
  constructor(
    @InjectSecPaidService('merchant-a') readonly merchantA: SecPaidService,
    @InjectSecPaidService('merchant-b') readonly merchantB: SecPaidService,
  ) {}
}

/** Options of an instance on `mock`'s first account: no retries, no client-side limit. */
function accountOptions(
  mock: SecPaidMockServer,
  webhooks?: { path: string },
): SecPaidModuleOptions {
  return mock.moduleOptions({ maxRetries: 0, rateLimit: false, ...(webhooks && { webhooks }) });
}

/** Merchant A on a development mock (plain webhooks), merchant B on a production one (encrypted). */
export interface TwoAccounts {
  dev: SecPaidMockServer;
  prod: SecPaidMockServer;
  stop(): Promise<void>;
}

export async function startTwoAccounts(): Promise<TwoAccounts> {
  const dev = await SecPaidMockServer.start({ environment: 'development', rateLimit: false });
  const prod = await SecPaidMockServer.start({
    environment: 'production',
    rateLimit: false,
    accounts: [{ encryptionKey: KEY_B }],
  });
  return {
    dev,
    prod,
    stop: async () => {
      await dev.stop();
      await prod.stop();
    },
  };
}

/** The two registrations: A with forRoot, B with forRootAsync. */
export function merchantModules(accounts: TwoAccounts): DynamicModule[] {
  return [
    SecPaidModule.forRoot({
      name: 'merchant-a',
      ...accountOptions(accounts.dev, { path: ROUTE_A }),
    }),
    SecPaidModule.forRootAsync({
      name: 'merchant-b',
      useFactory: async () =>
        // The account's encryption key is filled in by moduleOptions().
        accountOptions(accounts.prod, { path: ROUTE_B }),
    }),
  ];
}

/** A listening app with the given SecPaid registrations, the handlers and the health module. */
export function startMarketplaceApp(
  imports: DynamicModule[],
  logger: LoggerService | false = false,
): Promise<TestApp> {
  return bootstrapTestApp(...imports, TerminusModule, SecPaidHealthModule)
    .withProviders(MerchantHandlers, Marketplace)
    .override(SECPAID_WEBHOOK_TUNING, FAST_TUNING)
    .withRawBody()
    .withLogger(logger)
    .listen();
}
