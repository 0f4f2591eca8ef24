import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SecPaidConfigurationError } from '../core/secpaid.errors.js';
import {
  keyVerificationMessageOf,
  keyVerificationFailureOf,
} from './key-verification-failure.reason.js';
import {
  SECPAID_DEFAULT_INSTANCE,
  SECPAID_INSTANCE_NAME,
  SECPAID_INSTANCE_SERVICE,
  SECPAID_RESOLVED_OPTIONS,
} from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import { SecPaidService } from './secpaid.service.js';

/**
 * With `validateApiKeyOnStartup: true`, verifies the key once at bootstrap and fails start-up
 * with a message naming the environment (and the instance, when it has a name), instead of
 * failing on the first payment.
 */
@Injectable()
export class SecPaidStartupCheck implements OnApplicationBootstrap {
  constructor(
    @Inject(SECPAID_RESOLVED_OPTIONS) private readonly options: ResolvedSecPaidOptions,
    @Inject(SECPAID_INSTANCE_SERVICE) private readonly secpaid: SecPaidService,
    @Inject(SECPAID_INSTANCE_NAME) private readonly instance: string,
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
          message: `${this.ofInstance()}could not be validated against SecPaid ${environment} (${baseUrl}): ${keyVerificationMessageOf(reason, environment)}`,
        },
      ]);
    }
  }

  /** `of instance 'merchant-a' ` for a named instance; nothing for the default one. */
  private ofInstance(): string {
    return this.instance === SECPAID_DEFAULT_INSTANCE ? '' : `of instance '${this.instance}' `;
  }
}
