import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

// How the package keeps secrets out of what it prints: redaction of text, a one-way stand-in
// for an API key, and redacted views of option objects.

/** What replaces a secret in any text that leaves the package. */
export const REDACTED = '[REDACTED]';

/** Replaces every occurrence of every non-empty secret in `text`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * A stable, one-way stand-in for an API key (SHA-256, hex), for map keys and anything else
 * that must tell keys apart without holding one.
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** The option fields that hold secrets: the API key (or its provider) and the webhook encryption key. */
const SECRET_FIELDS = ['apiKey', 'apiKeySource', 'encryptionKey'] as const;

/**
 * Makes the secret fields of an options object non-enumerable (so spreading, `Object.entries`,
 * `util.inspect` and `JSON.stringify` skip them), and gives it a `toJSON` and a `util.inspect`
 * view that show `[REDACTED]` in their place. Reading `options.apiKey` still works.
 */
export function withRedactedInspection<T extends object>(options: T): T {
  for (const field of SECRET_FIELDS) {
    if (Object.hasOwn(options, field)) {
      const value: unknown = (options as Record<string, unknown>)[field];
      Object.defineProperty(options, field, { value, enumerable: false, writable: false });
    }
  }
  Object.defineProperties(options, {
    toJSON: { value: () => redactedView(options), enumerable: false },
    [inspect.custom]: {
      value: (depth: number, inspectOptions: object, nodeInspect: typeof inspect) =>
        nodeInspect(redactedView(options), { ...inspectOptions, depth }),
      enumerable: false,
    },
  });
  return options;
}

/** A plain copy of the enumerable fields, with every present secret shown as `[REDACTED]`. */
function redactedView(options: object): Record<string, unknown> {
  const view: Record<string, unknown> = { ...options };
  for (const field of SECRET_FIELDS) {
    if ((options as Record<string, unknown>)[field] !== undefined) view[field] = REDACTED;
  }
  return view;
}
