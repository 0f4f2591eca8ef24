import { expect } from '@jest/globals';
import {
  SecPaidConfigurationError,
  SecPaidModule,
  type SecPaidModuleOptions,
} from '../../lib/index.js';
import { SECPAID_RESOLVED_OPTIONS } from '../../lib/secpaid.constants.js';
import type { ResolvedSecPaidOptions } from '../../lib/options/secpaid-options.js';
import { bootstrapTestApp } from './test-app.builder.js';

/** Compiles `SecPaidModule.forRoot(options)` and returns the options as the module resolved them. */
export async function resolvedOptions(options: unknown): Promise<ResolvedSecPaidOptions> {
  const moduleRef = await bootstrapTestApp(
    SecPaidModule.forRoot(options as SecPaidModuleOptions),
  ).compile();
  const resolved = moduleRef.get<ResolvedSecPaidOptions>(SECPAID_RESOLVED_OPTIONS);
  await moduleRef.close();
  return resolved;
}

/** The start-up error of `SecPaidModule.forRoot(options)`; fails the test when it starts. */
export async function startupError(options: unknown): Promise<SecPaidConfigurationError> {
  const error = await resolvedOptions(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecPaidConfigurationError);
  return error as SecPaidConfigurationError;
}
