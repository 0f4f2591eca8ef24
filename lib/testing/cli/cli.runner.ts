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
  --accounts <n>          seed n accounts (default 1, at most 100); each key is printed
  --api-key <key>         API key of the first account (default: generated)
  --user-id <uuid>        user id of the first account (default: generated)
  --recipient-token <t>   recipient token of the first account (default: generated)
  --callback-url <url>    profile callback URL of every account (repeatable; index 0, 1, ...)
  --payment-endpoint <u>  profile payment endpoint / webhook URL of every account (repeatable)
  --encryption-key <k>    32-character webhook encryption key of every account
  --webhook-format <f>    form (default, as SecPaid sends it) or json
  --rate-limit <n|false>  requests per minute per key (default 60)
  --help                  show this help

While it runs (in a terminal): press r to resend the last webhook delivery, q to stop.
The dashboard at <base URL>/dashboard lists every link, payment and delivery, with resend.`;

/** Most accounts `--accounts` seeds. */
export const MOCK_CLI_MAX_ACCOUNTS = 100;

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
      accounts: { type: 'string' },
      'webhook-format': { type: 'string' },
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
  const accountCount = Number(values.accounts ?? '1');
  if (!Number.isInteger(accountCount) || accountCount < 1 || accountCount > MOCK_CLI_MAX_ACCOUNTS) {
    throw new Error(
      `--accounts must be an integer 1-${MOCK_CLI_MAX_ACCOUNTS}, got ${values.accounts}`,
    );
  }
  const webhookFormat = values['webhook-format'] ?? 'form';
  if (webhookFormat !== 'form' && webhookFormat !== 'json') {
    throw new Error(`--webhook-format must be form or json, got ${webhookFormat}`);
  }
  const accounts: MockAccountSeed[] = [];
  for (let index = 0; index < accountCount; index++) {
    // Every account posts to the same app; the key and ids given on the command line are the first's.
    const account: MockAccountSeed = {
      callbackUrls: [...(values['callback-url'] ?? [])],
      paymentEndpoints: [...(values['payment-endpoint'] ?? [])],
    };
    if (values['encryption-key'] !== undefined) account.encryptionKey = values['encryption-key'];
    accounts.push(account);
  }
  const first = accounts[0]!;
  if (values['api-key'] !== undefined) first.apiKey = values['api-key'];
  if (values['user-id'] !== undefined) first.userId = values['user-id'];
  if (values['recipient-token'] !== undefined) first.recipientToken = values['recipient-token'];
  const options: SecPaidMockServerOptions = { port, environment, accounts, webhookFormat };
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
    `  Dashboard:    ${mock.dashboardUrl}`,
  ];
  for (const [index, account] of mock.accounts.entries()) {
    lines.push(
      `  Account ${index + 1}: ${account.userId} (${account.environment})`,
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
  const shape = `${delivery.encrypted ? 'encrypted ' : ''}${delivery.format}`;
  const resent = delivery.resendOf !== undefined ? ` (resend of #${delivery.resendOf})` : '';
  return `webhook #${delivery.id}${resent} ${delivery.event} pay_id=${delivery.payId} -> ${delivery.url} (${shape}): ${outcome} in ${delivery.durationMs} ms`;
}

/**
 * What a key press does while the CLI runs in a terminal: `r` resends the last delivery (resolves
 * to the line to print), `q` asks to stop (`'quit'`); other keys do nothing (`undefined`).
 */
export async function handleMockCliKey(
  mock: SecPaidMockServer,
  key: string,
): Promise<string | 'quit' | undefined> {
  if (key === 'q' || key === '\u0003') return 'quit';
  if (key !== 'r') return undefined;
  const last = mock.webhookDeliveries.at(-1);
  if (last === undefined) return 'No webhook delivery to resend yet.';
  const again = await mock.resendWebhook(last.id);
  return `resent #${last.id}: ${describeWebhookDelivery(again)}`;
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
