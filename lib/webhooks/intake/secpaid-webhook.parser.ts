import { SecPaidWebhookError } from '../../core/secpaid.errors.js';
import { toCents } from '../../validation/secpaid.validators.js';
import { SECPAID_WEBHOOK_MAX_BODY_BYTES } from '../../secpaid.constants.js';
import type {
  ParseSecPaidWebhookOptions,
  SecPaidWebhookEvent,
  SecPaidWebhookEventType,
} from '../../models/secpaid-webhook-event.model.js';
import {
  decodeWebhookText,
  isRecord,
  readFormRecord,
  readJsonRecord,
  webhookBodyKind,
  type WebhookRecord,
  decryptSecPaidWebhookData,
  toSecPaidEncryptionKey,
} from './webhook-body.decoder.js';

const BRACKET_KEY = /^data\[([^[\]]+)\]$/;
/**
 * The statuses known, in lower case (SecPaid's plugin compares `Success` and `Failed` exactly;
 * docs/secpaid-api.md); a Map, so `constructor` or `__proto__` finds nothing. Any other status
 * that looks like a word becomes `payment.unknown`.
 */
const STATUS_TYPES: ReadonlyMap<string, SecPaidWebhookEventType> = new Map([
  ['success', 'payment.succeeded'],
  ['cancel', 'payment.cancelled'],
  ['cancelled', 'payment.cancelled'],
  ['canceled', 'payment.cancelled'],
  ['failed', 'payment.failed'],
  ['fail', 'payment.failed'],
  ['failure', 'payment.failed'],
]);
/** What an unknown status may look like to be acknowledged: a short word, no markup or controls. */
const UNKNOWN_STATUS = /^[A-Za-z][A-Za-z0-9 _.-]{0,39}$/;
/**
 * Names no SecPaid webhook uses but `Object.prototype` has (`__proto__`, `constructor`,
 * `toString`, `hasOwnProperty`, ...), in lower case. A body using one as a field name is a probe
 * for a prototype lookup and is rejected rather than ignored.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype).map((name) => name.toLowerCase()),
);

/**
 * Parses a SecPaid webhook body in any documented shape: JSON with a nested `data` object,
 * JSON or form-urlencoded with `data[pay_id]`-style keys, `status`/`Status` in any case, ids
 * and amounts as numbers or strings, and the AES-256-CBC `{"data":"<base64>"}` envelope (JSON
 * or form). With `encryptionKey`, unencrypted bodies are rejected.
 *
 * Anything else throws `SecPaidWebhookError` with one generic message. A wrong-length key
 * throws `SecPaidConfigurationError` (a programming error, not a bad webhook).
 * @publicApi
 */
export function parseSecPaidWebhook(
  rawBody: Buffer | string,
  options: ParseSecPaidWebhookOptions = {},
): SecPaidWebhookEvent {
  const key =
    options.encryptionKey === undefined ? undefined : toSecPaidEncryptionKey(options.encryptionKey);
  try {
    return parseWithKey(rawBody, options.contentType, key);
  } catch (error) {
    // Whatever a hostile body provokes leaves as the one generic error, never as a TypeError.
    if (error instanceof SecPaidWebhookError) throw error;
    throw new SecPaidWebhookError();
  }
}

function parseWithKey(
  rawBody: Buffer | string,
  contentType: string | undefined,
  key: Buffer | undefined,
): SecPaidWebhookEvent {
  const bytes = toBytes(rawBody);
  const text = decodeWebhookText(bytes);
  const outer =
    webhookBodyKind(contentType, text) === 'json' ? readJsonRecord(text) : readFormRecord(text);

  const data = ownField(outer, 'data');
  if (typeof data === 'string') {
    if (key === undefined) throw new SecPaidWebhookError();
    const payload = readJsonRecord(decryptSecPaidWebhookData(data, key));
    if (typeof ownField(payload, 'data') === 'string') throw new SecPaidWebhookError();
    return toEvent(payload, true);
  }
  if (key !== undefined) throw new SecPaidWebhookError();
  return toEvent(outer, false);
}

function toBytes(rawBody: unknown): Buffer {
  let bytes: Buffer;
  if (Buffer.isBuffer(rawBody)) bytes = rawBody;
  else if (typeof rawBody === 'string') bytes = Buffer.from(rawBody, 'utf8');
  else throw new SecPaidWebhookError();
  if (bytes.length === 0 || bytes.length > SECPAID_WEBHOOK_MAX_BODY_BYTES) {
    throw new SecPaidWebhookError();
  }
  return bytes;
}

function toEvent(payload: WebhookRecord, encrypted: boolean): SecPaidWebhookEvent {
  rejectPrototypeKeys(payload);
  const code = ownField(payload, 'ResponseCode');
  if (code !== undefined && code !== 1 && code !== '1') {
    throw new SecPaidWebhookError();
  }
  const fields = dataFields(payload);
  const status = toStatus(fields.get('status'));
  const event: SecPaidWebhookEvent = {
    type: STATUS_TYPES.get(status.toLowerCase()) ?? 'payment.unknown',
    status,
    payId: toPayId(fields.get('pay_id')),
    encrypted,
    confirmed: false,
    raw: payload,
  };
  const amount = toAmount(fields.get('amount'));
  if (amount !== undefined) event.amount = amount;
  const userId = toText(fields.get('user_id'));
  if (userId !== undefined) event.userId = userId;
  const note = toText(fields.get('note'));
  if (note !== undefined) event.note = note;
  return event;
}

/**
 * The `data` fields keyed in lower case, from a nested `data` object or from `data[...]` keys
 * (never both). Keys differing only in case must agree (`status` and `Status`).
 */
function dataFields(payload: WebhookRecord): Map<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(payload)) {
    const match = BRACKET_KEY.exec(key);
    if (match) entries.push([match[1], value]);
  }
  const data = ownField(payload, 'data');
  if (data !== undefined) {
    if (!isRecord(data) || entries.length > 0) throw new SecPaidWebhookError();
    rejectPrototypeKeys(data);
    entries.push(...Object.entries(data));
  }
  const fields = new Map<string, unknown>();
  for (const [key, value] of entries) {
    const name = key.toLowerCase();
    if (fields.has(name) && fields.get(name) !== value) throw new SecPaidWebhookError();
    fields.set(name, value);
  }
  return fields;
}

/** `record[key]` when it is the record's own property; never a value from the prototype chain. */
function ownField(record: WebhookRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Rejects a record with a key (or `data[key]`) named like an `Object.prototype` member. */
function rejectPrototypeKeys(record: WebhookRecord): void {
  for (const key of Object.keys(record)) {
    const name = (BRACKET_KEY.exec(key)?.[1] ?? key).toLowerCase();
    if (PROTOTYPE_KEYS.has(name)) throw new SecPaidWebhookError();
  }
}

/**
 * The trimmed status: a known one in any case, or a short word (`payment.unknown`). A prototype
 * name (`constructor`, `__proto__` ...) is a probe, refused like a prototype key.
 */
function toStatus(value: unknown): string {
  if (typeof value !== 'string') throw new SecPaidWebhookError();
  const status = value.trim();
  if (STATUS_TYPES.has(status.toLowerCase())) return status;
  if (!UNKNOWN_STATUS.test(status) || PROTOTYPE_KEYS.has(status.toLowerCase())) {
    throw new SecPaidWebhookError();
  }
  return status;
}

function toPayId(value: unknown): number {
  const id =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,15}$/.test(value.trim())
        ? Number(value.trim())
        : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new SecPaidWebhookError();
  return id;
}

/** A non-negative EUR amount with at most two decimals, as number or numeric string. */
function toAmount(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const amount =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,12}(\.\d+)?$/.test(value.trim())
        ? Number(value.trim())
        : NaN;
  if (!(amount >= 0 && amount <= 1e12) || toCents(amount) === undefined) {
    throw new SecPaidWebhookError();
  }
  return amount;
}

function toText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new SecPaidWebhookError();
}
