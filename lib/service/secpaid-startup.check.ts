import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SecPaidConfigurationError } from '../errors/secpaid-configuration.error.js';
import {
  keyVerificationMessageOf,
  keyVerificationFailureOf,
} from './key-verification-failure.reason.js';
import { SECPAID_INSTANCE_SERVICE, SECPAID_RESOLVED_OPTIONS } from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import { SecPaidService } from './secpaid.service.js';

/**
 * With `validateApiKeyOnStartup: true`, verifies the key once at bootstrap and fails start-up
 * with a message naming the environment, instead of failing on the first payment.
 */
@Injectable()
export class SecPaidStartupCheck implements OnApplicationBootstrap {
  constructor(
    @Inject(SECPAID_RESOLVED_OPTIONS) private readonly options: ResolvedSecPaidOptions,
    @Inject(SECPAID_INSTANCE_SERVICE) private readonly secpaid: SecPaidService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.validateApiKeyOnStartup) return;
    const { environment, baseUrl } = this.options;
    try {
      await this.secpaid.verifyApiKey();
    } catch (error) {
      const reason = keyVerificationFailureOf(error, false);
      throw new SecPaidConfigurationError([
        {
          field: 'apiKey',
          message: `could not be validated against SecPaid ${environment} (${baseUrl}): ${keyVerificationMessageOf(reason, environment)}`,
        },
      ]);
    }
  }
}
