import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import type { SecPaidRedisCoordinator } from '../redis/secpaid-redis.coordinator.js';
import type { SecPaidService } from '../service/secpaid.service.js';

/**
 * One `SecPaidModule` registration as the rest of the package sees it: its name, its service
 * and its validated options (internal). Each registration provides exactly one.
 */
export interface SecPaidInstance {
  /** `'default'` for a registration without `name`. */
  readonly name: string;
  readonly service: SecPaidService;
  readonly options: ResolvedSecPaidOptions;
  /** The instance's Redis coordination, `null` without `redis`. */
  readonly redis: SecPaidRedisCoordinator | null;
}
