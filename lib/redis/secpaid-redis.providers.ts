import type { Provider } from '@nestjs/common';
import { SECPAID_CLOSE_CLOCK, type SecPaidCloseClock } from '../core/close.deadline.js';
import { SECPAID_REDIS, SECPAID_RESOLVED_OPTIONS } from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import { toRedisCommandClient } from './redis-command.client.js';
import { openRedisFromUrl } from './redis-url.connector.js';
import { SecPaidRedisCoordinator } from './secpaid-redis.coordinator.js';

/** Opens (`url`) or adopts (`client`) the Redis connection; never waits for Redis to answer. */
export const SECPAID_REDIS_PROVIDER: Provider = {
  provide: SECPAID_REDIS,
  useFactory: async (
    options: ResolvedSecPaidOptions,
    clock: SecPaidCloseClock,
  ): Promise<SecPaidRedisCoordinator | null> => {
    const { redis } = options;
    if (redis === false) return null;
    if (redis.client !== undefined) {
      return new SecPaidRedisCoordinator(
        // The app's client object stays inside the secret: only its command wrapper is kept.
        toRedisCommandClient(redis.client.reveal()),
        redis.keyPrefix,
        redis.commandTimeoutMs,
      );
    }
    // Connection errors start arriving once the coordinator exists (connecting is async).
    const reported: { to?: SecPaidRedisCoordinator } = {};
    const connection = await openRedisFromUrl(
      redis.url!,
      (error) => reported.to?.reportConnectionError(error),
      redis.cluster,
    );
    reported.to = new SecPaidRedisCoordinator(
      connection.client,
      redis.keyPrefix,
      redis.commandTimeoutMs,
      () => connection.close(clock),
      connection.firstReady,
    );
    return reported.to;
  },
  inject: [SECPAID_RESOLVED_OPTIONS, SECPAID_CLOSE_CLOCK],
};
