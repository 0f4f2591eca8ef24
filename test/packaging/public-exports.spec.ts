import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<'import' | 'require', { types: string }>>;
};

/**
 * The source file behind an entry's `types` for `import` or `require`
 * (`./dist/health/index.d.ts` and `./dist/cjs/health/index.d.ts` -> `lib/health/index.ts`).
 */
function sourceOf(entry: string, condition: 'import' | 'require' = 'import'): string {
  const target = pkg.exports[entry];
  if (typeof target !== 'object') throw new Error(`${entry} has no conditions`);
  const types = target[condition].types;
  return join(root, types.replace(/^\.\/dist\/(cjs\/)?/, 'lib/').replace(/\.d\.ts$/, '.ts'));
}

/**
 * Every name an entry exports, values and types alike, sorted; `(type)` marks type-only names.
 * Read with the type checker, so `export *` and re-exports count as a consumer sees them.
 */
function exportNames(files: Record<string, string>): Record<string, string[]> {
  const program = ts.createProgram(Object.values(files), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const result: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(files)) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read ${file}`);
    result[entry] = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => {
        const target =
          symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return target.flags & ts.SymbolFlags.Value ? symbol.name : `${symbol.name} (type)`;
      })
      .sort();
  }
  return result;
}

// The public surface, spelled out: any change to it shows up as a diff of this list.
const PUBLIC_EXPORTS: Record<string, string[]> = {
  '.': [
    'CreateLinkDto',
    'CreateLinkInput (type)',
    'CreateSplitLinkDto',
    'CreateSplitLinkInput (type)',
    'DeleteLinkDto',
    'InjectSecPaidHttpService',
    'InjectSecPaidService',
    'IsSecPaidAmount',
    'IsSplitRecipients',
    'IsUrlOrIndexList',
    'LinkListQuery (type)',
    'LinkListQueryDto',
    'Page (type)',
    'PaidLink (type)',
    'ParseSecPaidWebhookOptions (type)',
    'PayInTransaction (type)',
    'PayInTransactionQuery (type)',
    'PayInTransactionQueryDto',
    'PayOutTransaction (type)',
    'PayOutTransactionQuery (type)',
    'PayOutTransactionQueryDto',
    'PaymentLink (type)',
    'RefundPaymentDto',
    'RefundPaymentInput (type)',
    'RefundRequest (type)',
    'SECPAID_ATTRIBUTES',
    'SECPAID_BASE_URLS',
    'SECPAID_DEFAULTS',
    'SECPAID_DEFAULT_INSTANCE',
    'SECPAID_DIAGNOSTICS_CHANNELS',
    'SECPAID_ENVIRONMENTS',
    'SECPAID_MAX_LIST_LIMIT',
    'SECPAID_METRICS',
    'SECPAID_PACKAGE_VERSION',
    'SECPAID_REDIS_DEFAULTS',
    'SECPAID_SPANS',
    'SECPAID_TIME_ZONE',
    'SECPAID_WEBHOOK_EVENT_TYPES',
    'SECPAID_WEBHOOK_UNCONFIRMED',
    'SecPaidAmbiguousResultError',
    'SecPaidApiError',
    'SecPaidApiKeyChangedMessage (type)',
    'SecPaidApiKeyProvider (type)',
    'SecPaidApiKeyVerification (type)',
    'SecPaidAuthenticationError',
    'SecPaidCallMessage (type)',
    'SecPaidCallOptions (type)',
    'SecPaidCallbackVerification (type)',
    'SecPaidConfigFactory (type)',
    'SecPaidConfigurationError',
    'SecPaidConnectionError',
    'SecPaidEnvironment (type)',
    'SecPaidError',
    'SecPaidHealthOptions (type)',
    'SecPaidInMemoryPendingPaymentStore',
    'SecPaidInMemoryWebhookDedupeStore',
    'SecPaidLimiterWaitMessage (type)',
    'SecPaidModule',
    'SecPaidModuleAsyncOptions (type)',
    'SecPaidModuleExtras (type)',
    'SecPaidModuleOptions (type)',
    'SecPaidModuleSyncOptions (type)',
    'SecPaidNamedConfigFactory (type)',
    'SecPaidNotFoundError',
    'SecPaidPaginator',
    'SecPaidPendingAddOutcome (type)',
    'SecPaidPendingLimits (type)',
    'SecPaidPendingPayment (type)',
    'SecPaidPendingPaymentStore (type)',
    'SecPaidRateLimitError',
    'SecPaidRateLimitOptions (type)',
    'SecPaidRateLimitedMessage (type)',
    'SecPaidRedisClient (type)',
    'SecPaidRedisOptions (type)',
    'SecPaidRedisPendingPaymentStore',
    'SecPaidRedisPendingPaymentStoreSettings (type)',
    'SecPaidRedisWebhookClaimStore',
    'SecPaidRequestContext (type)',
    'SecPaidRetryMessage (type)',
    'SecPaidSecret',
    'SecPaidSecretSource (type)',
    'SecPaidServerError',
    'SecPaidService',
    'SecPaidSplitType (type)',
    'SecPaidTimeoutError',
    'SecPaidToArrayOptions (type)',
    'SecPaidUnexpectedResponseError',
    'SecPaidValidationError',
    'SecPaidValidationIssue (type)',
    'SecPaidWebhookClaim (type)',
    'SecPaidWebhookDedupeStore (type)',
    'SecPaidWebhookDispatchType (type)',
    'SecPaidWebhookError',
    'SecPaidWebhookEvent (type)',
    'SecPaidWebhookEventType (type)',
    'SecPaidWebhookHandler',
    'SecPaidWebhookHandlerOptions (type)',
    'SecPaidWebhookMessage (type)',
    'SecPaidWebhookOptions (type)',
    'SecPaidWebhookOutcome (type)',
    'SplitRecipient (type)',
    'TaxInvoice (type)',
    'TaxInvoiceQuery (type)',
    'TaxInvoiceQueryDto',
    'getSecPaidHttpServiceToken',
    'getSecPaidServiceToken',
    'isSecPaidSecret',
    'parseBerlinTimestamp',
    'parseSecPaidWebhook',
    'secpaidConfig',
    'secpaidConfigFor',
    'secpaidEnvPrefixOf',
  ],
  './health': [
    'SecPaidHealthCheckOptions (type)',
    'SecPaidHealthDownReason (type)',
    'SecPaidHealthIndicator',
    'SecPaidHealthModule',
  ],
  './testing': [
    'MockAccount (type)',
    'MockAccountSeed (type)',
    'MockAccountSelector (type)',
    'MockEnvSelector (type)',
    'MockEnvironment (type)',
    'MockFault (type)',
    'MockLink (type)',
    'MockLinkStatus (type)',
    'MockModuleOptions (type)',
    'MockModuleOverrides (type)',
    'MockPayIn (type)',
    'MockPaymentError',
    'MockPaymentOptions (type)',
    'MockPaymentResult (type)',
    'MockPayout (type)',
    'MockRecipient (type)',
    'MockRefund (type)',
    'MockRequestRecord (type)',
    'MockResendOptions (type)',
    'MockTaxInvoice (type)',
    'MockWebhook (type)',
    'MockWebhookDelivery (type)',
    'MockWebhookEvent (type)',
    'MockWebhookFormat (type)',
    'MockWebhookInput (type)',
    'SecPaidMockServer',
    'SecPaidMockServerOptions (type)',
    'buildMockWebhook',
    'encryptWebhookPayload',
  ],
};

describe('public exports', () => {
  it('package.json exports exactly the three entries (and package.json)', () => {
    expect(Object.keys(pkg.exports).sort()).toEqual([
      '.',
      './health',
      './package.json',
      './testing',
    ]);
  });

  it('each entry exports exactly the listed names', () => {
    const entries = Object.keys(pkg.exports).filter((entry) => entry !== './package.json');
    const files = Object.fromEntries(entries.map((entry) => [entry, sourceOf(entry)]));
    expect(exportNames(files)).toEqual(PUBLIC_EXPORTS);
  }, 60_000);

  it('gives import and require the typings of the same source (one surface, two builds)', () => {
    for (const entry of Object.keys(PUBLIC_EXPORTS)) {
      expect([entry, sourceOf(entry, 'require')]).toEqual([entry, sourceOf(entry, 'import')]);
    }
  });
});
