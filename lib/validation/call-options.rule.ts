import { SecPaidValidationError } from '../core/secpaid.errors.js';
import { isSecPaidSecret, SecPaidSecret } from '../core/secret.value.js';
import { SECPAID_BUDGET_LANES, type SecPaidBudgetLane } from '../secpaid.constants.js';
import { assertValidApiKey } from './identifier.rules.js';

/**
 * Longest timer Node can arm (2^31 - 1 ms, about 24.8 days); a longer delay overflows and
 * fires at once, so every call would time out immediately.
 */
export const SECPAID_MAX_TIMEOUT_MS = 2_147_483_647;

/** The message of every timeout issue. */
export const TIMEOUT_RULE = `must be a whole number of milliseconds from 1 to ${SECPAID_MAX_TIMEOUT_MS}`;

/** True for a usable timeout: an integer from 1 to `SECPAID_MAX_TIMEOUT_MS`. */
export function isValidTimeoutMs(value: unknown): value is number {
  return (
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= SECPAID_MAX_TIMEOUT_MS
  );
}

/** The message of every `maxWaitMs` issue (0 is allowed: "only if a slot is free now"). */
export const MAX_WAIT_RULE = `must be a whole number of milliseconds from 0 to ${SECPAID_MAX_TIMEOUT_MS}`;

/** True for a usable wait bound: an integer from 0 to `SECPAID_MAX_TIMEOUT_MS`. */
export function isValidMaxWaitMs(value: unknown): value is number {
  return (
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= SECPAID_MAX_TIMEOUT_MS
  );
}

/** The message of every `lane` issue. */
export const LANE_RULE = `must be one of ${SECPAID_BUDGET_LANES.map((lane) => `'${lane}'`).join(', ')}`;

/** True for a lane name. */
export function isBudgetLane(value: unknown): value is SecPaidBudgetLane {
  return (SECPAID_BUDGET_LANES as readonly unknown[]).includes(value);
}

/** The per-call options every `SecPaidService` method reads (their snapshot). */
export interface CallOptionsSnapshot {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Held as a secret from the moment it is read. */
  apiKey?: SecPaidSecret;
  reconcile?: boolean;
  lane?: SecPaidBudgetLane;
  maxWaitMs?: number;
}

/**
 * Reads the last argument of a service method once into a plain snapshot and checks it: an
 * object (or undefined), `signal` an AbortSignal, `timeoutMs` a usable timeout, `apiKey` a valid
 * key, `reconcile` a boolean, `lane` a budget lane, `maxWaitMs` a usable bound. Anything else, including a getter or Proxy that throws, is a
 * `SecPaidValidationError` thrown before the rate limiter or the network is touched.
 */
export function snapshotCallOptions(
  options: unknown,
  endpoint: string,
): CallOptionsSnapshot | undefined {
  if (options === undefined) return undefined;
  const fail = (field: string, message: string): never => {
    throw new SecPaidValidationError([{ field, message }], endpoint);
  };
  if (options === null || typeof options !== 'object') fail('options', 'must be an object');
  let snapshot: CallOptionsSnapshot;
  try {
    const { signal, timeoutMs, apiKey, reconcile, lane, maxWaitMs } = options as Record<
      string,
      unknown
    >;
    const key = isSecPaidSecret(apiKey) ? apiKey.reveal() : apiKey;
    if (key !== undefined) assertValidApiKey(key, endpoint);
    snapshot = {
      signal,
      timeoutMs,
      apiKey: key === undefined ? undefined : SecPaidSecret.of(key),
      reconcile,
      lane,
      maxWaitMs,
    } as CallOptionsSnapshot;
  } catch (error) {
    if (error instanceof SecPaidValidationError) throw error;
    return fail('options', 'could not be read (a getter or Proxy threw)');
  }
  const { signal, timeoutMs, reconcile, lane, maxWaitMs } = snapshot;
  if (signal !== undefined && !isAbortSignal(signal)) fail('signal', 'must be an AbortSignal');
  if (timeoutMs !== undefined && !isValidTimeoutMs(timeoutMs)) fail('timeoutMs', TIMEOUT_RULE);
  if (reconcile !== undefined && typeof reconcile !== 'boolean') {
    fail('reconcile', 'must be a boolean');
  }
  if (lane !== undefined && !isBudgetLane(lane)) fail('lane', LANE_RULE);
  if (maxWaitMs !== undefined && !isValidMaxWaitMs(maxWaitMs)) fail('maxWaitMs', MAX_WAIT_RULE);
  return snapshot;
}

/** An AbortSignal (checked by shape: signals from another realm or polyfill work too). */
function isAbortSignal(value: unknown): value is AbortSignal {
  if (value === null || typeof value !== 'object') return false;
  try {
    const signal = value as Partial<AbortSignal>;
    return (
      typeof signal.aborted === 'boolean' &&
      typeof signal.addEventListener === 'function' &&
      typeof signal.removeEventListener === 'function'
    );
  } catch {
    return false;
  }
}
