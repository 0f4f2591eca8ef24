// Entry `nestjs-secpaid/health`: kept apart so the main entry loads without @nestjs/terminus.
export { SecPaidHealthModule } from './secpaid-health.module.js';
export {
  SecPaidHealthIndicator,
  type SecPaidHealthCheckOptions,
} from './secpaid-health.indicator.js';
export type { SecPaidHealthDownReason } from '../service/key-verification-failure.reason.js';
