import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SecPaidHealthIndicator } from 'nestjs-secpaid/health';

/** Kubernetes-style probes: liveness never calls SecPaid, readiness checks the API key. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly secpaid: SecPaidHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 when SecPaid accepts the key (cached for `health.cacheTtlMs`), else 503. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.secpaid.isHealthy('secpaid')]);
  }
}
