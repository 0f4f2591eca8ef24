import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import {
  SecPaidModule,
  secpaidConfig,
  secpaidConfigFor,
  type SecPaidModuleOptions,
} from 'nestjs-secpaid';
import { SecPaidHealthModule } from 'nestjs-secpaid/health';
import type { SecPaidMockServer } from 'nestjs-secpaid/testing';
import { EmbeddedSecPaidLifecycle } from './embedded-secpaid.lifecycle.js';
import { HealthController } from './health/health.controller.js';
import { OrderWebhooksHandler } from './orders/order-webhooks.handler.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersStore } from './orders/orders.store.js';
import { CheckoutService } from './shop/checkout.service.js';
import { ShopController } from './shop/shop.controller.js';
import {
  MERCHANT_B,
  MERCHANT_B_WEBHOOK_PATH,
  SHOP_SETTINGS,
  WEBHOOK_PATH,
  type ShopSettings,
} from './shop.settings.js';

@Module({
  imports: [
    // Loads .env (if any) into process.env; secpaidConfig reads the SECPAID_* variables.
    ConfigModule.forRoot({ isGlobal: true }),
    SecPaidModule.forRootAsync({
      ...secpaidConfig.asProvider(),
      // The variables give key, environment and base URL (and, with SECPAID_REDIS_URL, `redis`:
      // several shop replicas then share the rate budget, webhook claims and the readiness
      // cache); the shop adds its webhook receiver.
      useFactory: (options: SecPaidModuleOptions): SecPaidModuleOptions => ({
        ...options,
        webhooks: { ...options.webhooks, path: WEBHOOK_PATH, confirmPayments: true },
      }),
    }),
    TerminusModule,
    SecPaidHealthModule,
  ],
  controllers: [ShopController, OrdersController, HealthController],
  providers: [CheckoutService, OrdersStore, OrderWebhooksHandler],
})
export class AppModule {
  /** The app with its settings and, when it runs on one, the embedded mock to stop on shutdown. */
  static register(settings: ShopSettings, embeddedMock?: SecPaidMockServer): DynamicModule {
    const providers: Provider[] = [{ provide: SHOP_SETTINGS, useValue: settings }];
    if (embeddedMock) {
      providers.push({
        provide: EmbeddedSecPaidLifecycle,
        useFactory: () => new EmbeddedSecPaidLifecycle(embeddedMock),
      });
    }
    return {
      module: AppModule,
      // The second merchant: a named instance with its own key, rate budget, probe and route.
      imports: settings.merchantB
        ? [
            SecPaidModule.forRootAsync({
              ...secpaidConfigFor(MERCHANT_B).asProvider(),
              useFactory: (options: SecPaidModuleOptions): SecPaidModuleOptions => ({
                ...options,
                webhooks: { ...options.webhooks, path: MERCHANT_B_WEBHOOK_PATH },
              }),
            }),
          ]
        : [],
      providers,
    };
  }
}
