import { inspect } from 'node:util';
import { REDACTED } from './secret-redaction.util.js';

/** The option fields that hold secrets: the API key and the webhook encryption key. */
const SECRET_FIELDS = ['apiKey', 'encryptionKey'] as const;

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
