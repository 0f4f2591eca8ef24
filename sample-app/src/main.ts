import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { SecPaidMockServer } from 'nestjs-secpaid/testing';
import { AppModule } from './app.module.js';
import { startEmbeddedSecPaid } from './embedded-secpaid.js';
import { portFromEnv, shopSettingsFromEnv } from './shop.settings.js';

async function bootstrap(): Promise<void> {
  const logger = new Logger('SampleShop');
  // .env (if present) is loaded by ConfigModule.forRoot(); decide the mode after it.
  await ConfigModule.envVariablesLoaded;
  let settings = shopSettingsFromEnv(portFromEnv());
  let mock: SecPaidMockServer | undefined;
  if (!process.env['SECPAID_API_KEY']) {
    ({ mock, settings } = await startEmbeddedSecPaid(settings));
    logger.log(`SECPAID_API_KEY is not set: using the embedded SecPaid mock at ${mock.baseUrl}`);
    logger.log(`Mock dashboard (links, payments, webhook deliveries): ${mock.dashboardUrl}`);
  } else {
    logger.log(`Using SecPaid (${process.env['SECPAID_ENVIRONMENT'] ?? 'environment not set'})`);
  }

  try {
    // rawBody: the webhook receiver needs the exact bytes SecPaid sent.
    const app = await NestFactory.create(AppModule.register(settings, mock), { rawBody: true });
    app.enableShutdownHooks();
    await app.listen(settings.port, process.env['HOST'] ?? '127.0.0.1');
    logger.log(
      `Sample shop listening on http://127.0.0.1:${settings.port} (PORT=${settings.port})`,
    );
    logger.log(`Open ${settings.publicUrl}/ in a browser; orders at ${settings.publicUrl}/orders`);
  } catch (error) {
    await mock?.stop();
    throw error;
  }
}

bootstrap().catch((error: unknown) => {
  new Logger('SampleShop').error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
