import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { SecPaidModule, secpaidConfig, type SecPaidModuleOptions } from 'nestjs-secpaid';
import { SecPaidHealthModule } from 'nestjs-secpaid/health';
import { AppController } from './app.controller.js';
import { AppService } from './app.service.js';
import { HealthController } from './health.controller.js';
import { PaymentsListener } from './payments.listener.js';

@Module({
  imports: [
    ConfigModule.forRoot(),
    SecPaidModule.forRootAsync({
      ...secpaidConfig.asProvider(),
      // SECPAID_* give key, environment and base URL; the app adds its webhook receiver.
      useFactory: (options: SecPaidModuleOptions): SecPaidModuleOptions => ({
        ...options,
        webhooks: { ...options.webhooks, path: 'secpaid/webhook' },
      }),
    }),
    TerminusModule,
    SecPaidHealthModule,
  ],
  controllers: [AppController, HealthController],
  providers: [AppService, PaymentsListener],
})
export class AppModule {}
