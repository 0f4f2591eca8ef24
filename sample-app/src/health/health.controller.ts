import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { SecPaidHealthIndicator } from 'nestjs-secpaid/health';
import { MERCHANT_B, SHOP_SETTINGS, type ShopSettings } from '../shop.settings.js';

/** Kubernetes-style probes: liveness never calls SecPaid, readiness checks the API key. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly secpaid: SecPaidHealthIndicator,
    @Inject(SHOP_SETTINGS) private readonly settings: ShopSettings,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * 200 when SecPaid accepts every merchant's key (each cached for its `health.cacheTtlMs`),
   * else 503: `secpaid` is the shop's account, `secpaid-merchant-b` the second merchant's.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: HealthIndicatorFunction[] = [() => this.secpaid.isHealthy('secpaid')];
    if (this.settings.merchantB) {
      checks.push(() => this.secpaid.isHealthy('secpaid-merchant-b', { instance: MERCHANT_B }));
    }
    return this.health.check(checks);
  }
}
