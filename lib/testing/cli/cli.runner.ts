/** Argument parsing and start-up of the `secpaid-mock` bin, kept testable (no process exit here). */
import { parseArgs } from 'node:util';
import type {
  MockAccountSeed,
  MockWebhookDelivery,
  SecPaidMockServerOptions,
} from '../secpaid-mock.types.js';
import { SecPaidMockServer } from '../server/secpaid-mock.server.js';

/** `secpaid-mock --help`. */
export const MOCK_CLI_USAGE = `Usage: secpaid-mock [options]

  --port <n>              port to listen on (default 4010; 0 = any free port)
  --host <host>           interface to bind (default 127.0.0.1)
  --environment <env>     development (default) or production
  --api-key <key>         API key of the seeded account (default: generated)
  --user-id <uuid>        user id of the seeded account (default: generated)
  --recipient-token <t>   recipient token of the seeded account (default: generated)
  --callback-url <url>    profile callback URL (repeatable; index 0, 1, ...)
  --payment-endpoint <u>  profile payment endpoint / webhook URL (repeatable)
  --encryption-key <k>    32-character webhook encryption key
  --rate-limit <n|false>  requests per minute per key (default 60)
  --help                  show this help`;

/** Parsed command line: server options, or a request for help. */
export type MockCliCommand = { help: true } | { help: false; options: SecPaidMockServerOptions };

/** Parses `secpaid-mock` arguments; throws an Error with a readable message on bad input. */
export function parseMockCliArgs(argv: readonly string[]): MockCliCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      environment: { type: 'string' },
      'api-key': { type: 'string' },
      'user-id': { type: 'string' },
      'recipient-token': { type: 'string' },
      'callback-url': { type: 'string', multiple: true },
      'payment-endpoint': { type: 'string', multiple: true },
      'encryption-key': { type: 'string' },
      'rate-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const port = Number(values.port ?? '4010');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer 0-65535, got ${values.port}`);
  }
  const environment = values.environment ?? 'development';
  if (environment !== 'development' && environment !== 'production') {
    throw new Error(`--environment must be development or production, got ${environment}`);
  }
  let rateLimit: SecPaidMockServerOptions['rateLimit'];
  if (values['rate-limit'] === 'false') rateLimit = false;
  else if (values['rate-limit'] !== undefined) {
    const perMinute = Number(values['rate-limit']);
    if (!Number.isInteger(perMinute) || perMinute < 1) {
      throw new Error(`--rate-limit must be a positive integer or false`);
    }
    rateLimit = { requestsPerMinute: perMinute };
  }
  const account: MockAccountSeed = {
    callbackUrls: values['callback-url'] ?? [],
    paymentEndpoints: values['payment-endpoint'] ?? [],
  };
  if (values['api-key'] !== undefined) account.apiKey = values['api-key'];
  if (values['user-id'] !== undefined) account.userId = values['user-id'];
  if (values['recipient-token'] !== undefined) account.recipientToken = values['recipient-token'];
  if (values['encryption-key'] !== undefined) account.encryptionKey = values['encryption-key'];
  const options: SecPaidMockServerOptions = { port, environment, accounts: [account] };
  if (values.host !== undefined) options.host = values.host;
  if (rateLimit !== undefined) options.rateLimit = rateLimit;
  return { help: false, options };
}

/** The start-up banner: base URL and the seeded accounts (the keys are test keys, printed on purpose). */
export function describeMockServer(mock: SecPaidMockServer): string {
  const lines = [
    `SecPaid mock (${mock.environment}) listening on ${mock.baseUrl}`,
    `  API:          POST ${mock.baseUrl}/api/v2/<endpoint>  (header "token: <api key>")`,
    `  Payment page: ${mock.baseUrl}/payment?link_id=<base64 id>`,
  ];
  for (const account of mock.accounts) {
    lines.push(
      `  Account ${account.userId} (${account.environment})`,
      `    api key:          ${account.apiKey}`,
      `    recipient token:  ${account.recipientToken}`,
    );
    if (account.callbackUrls.length)
      lines.push(`    callback URLs:    ${account.callbackUrls.join(', ')}`);
    if (account.paymentEndpoints.length) {
      lines.push(`    payment endpoints: ${account.paymentEndpoints.join(', ')}`);
    }
    if (account.encryptionKey) lines.push(`    encryption key:   ${account.encryptionKey}`);
  }
  return lines.join('\n');
}

/** One line per webhook POST: event, pay id, target, and what came of it. */
export function describeWebhookDelivery(delivery: MockWebhookDelivery): string {
  const outcome =
    delivery.status !== undefined
      ? `HTTP ${delivery.status}`
      : `failed: ${delivery.error ?? 'no answer'}`;
  const shape = `${delivery.encrypted ? 'encrypted ' : ''}${delivery.contentType}`;
  return `webhook ${delivery.event} pay_id=${delivery.payId} -> ${delivery.url} (${shape}): ${outcome}`;
}

/**
 * Parses the arguments and starts the server; resolves to the running server, or `undefined`
 * after printing the help. `print` receives the banner/help text.
 */
export async function runMockCli(
  argv: readonly string[],
  print: (text: string) => void,
): Promise<SecPaidMockServer | undefined> {
  const command = parseMockCliArgs(argv);
  if (command.help) {
    print(MOCK_CLI_USAGE);
    return undefined;
  }
  const mock = await SecPaidMockServer.start({
    ...command.options,
    onWebhookDelivery: (delivery) => print(describeWebhookDelivery(delivery)),
  });
  print(describeMockServer(mock));
  return mock;
}
