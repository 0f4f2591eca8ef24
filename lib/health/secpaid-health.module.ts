import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SecPaidHealthIndicator } from './secpaid-health.indicator.js';

/**
 * Provides `SecPaidHealthIndicator`. Import it beside `TerminusModule` and `SecPaidModule`;
 * it finds the `SecPaidService` of the application's `SecPaidModule` by itself.
 * @publicApi
 */
@Module({
  imports: [TerminusModule],
  providers: [SecPaidHealthIndicator],
  exports: [SecPaidHealthIndicator],
})
export class SecPaidHealthModule {}
