import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { SecPaidModule, type SecPaidModuleOptions } from '../../lib/index.js';
import { SecPaidHealthIndicator, SecPaidHealthModule } from '../../lib/health/index.js';
import { bootstrapTestApp, type TestApp } from './test-app.builder.js';

/** The readiness controller of the README: `GET /health/ready` over the SecPaid indicator. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly secpaid: SecPaidHealthIndicator,
  ) {}

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.secpaid.isHealthy('secpaid')]);
  }
}

/** An app as the README builds it (TerminusModule, SecPaidModule, SecPaidHealthModule), listening. */
export function startHealthApp(options: SecPaidModuleOptions): Promise<TestApp> {
  return bootstrapTestApp(TerminusModule, SecPaidModule.forRoot(options), SecPaidHealthModule)
    .withControllers(HealthController)
    .listen();
}
