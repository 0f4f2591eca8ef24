import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SecPaidHealthModule } from '../lib/health/index.js';
import { SecPaidModule, type SecPaidModuleOptions } from '../lib/index.js';

@Module({})
class BenchAppModule {
  static with(options: SecPaidModuleOptions, health: boolean): DynamicModule {
    const imports = [SecPaidModule.forRoot(options)];
    return {
      module: BenchAppModule,
      imports: health ? [...imports, SecPaidHealthModule] : imports,
    };
  }
}

/**
 * A Nest application context the way a user wires it: `SecPaidModule.forRoot()` against the
 * mock (plus `SecPaidHealthModule` when asked). Nest's own logger is off, like in production
 * with a JSON logger at `log` level: debug lines are never printed.
 */
export async function createBenchApp(
  options: SecPaidModuleOptions,
  health = false,
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(BenchAppModule.with(options, health), {
    logger: false,
  });
  await app.init();
  return app;
}
