import type { OnApplicationBootstrap } from '@nestjs/common';
import { SecPaidConfigurationError } from '../core/secpaid.errors.js';
import {
  keyVerificationMessageOf,
  keyVerificationFailureOf,
} from './key-verification-failure.reason.js';
import { SECPAID_DEFAULT_INSTANCE } from '../secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../options/secpaid-options.js';
import type { SecPaidService } from './secpaid.service.js';

/**
 * With `validateApiKeyOnStartup: true`, verifies the key once at bootstrap and fails start-up
 * with a message naming the environment (and the instance, when it has a name), instead of
 * failing on the first payment. Built by the registration with its own service and name.
 */
export class SecPaidStartupCheck implements OnApplicationBootstrap {
  constructor(
    private readonly options: ResolvedSecPaidOptions,
    private readonly secpaid: SecPaidService,
    private readonly instance: string,
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
