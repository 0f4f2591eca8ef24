import type { PayInTransaction } from '../models/pay-in-transaction.model.js';

/**
 * What `SecPaidService.verifyCallback()` resolves to: what the API says about the payment the
 * return page names, whatever its query claims.
 * @publicApi
 */
export interface SecPaidCallbackVerification {
  /** The `pay_id` of the query; undefined when it had none (or an unusable one). */
  payId: number | undefined;
  /**
   * `paid`: the API shows a successful payment (`payment` is it). `cancelled`: the link was
   * cancelled by the payer. `pending`: a link this app knows, not paid as far as the API shows
   * yet (show "we are waiting for your payment"; the webhook will tell). `unknown`: nothing the
   * API shows confirms this link (a made-up or mistyped URL).
   */
  status: 'paid' | 'cancelled' | 'pending' | 'unknown';
  /** The pay-in, when `paid`. */
  payment?: PayInTransaction;
}

/** The fields of a return URL's query that matter, each once or not at all. */
export interface SecPaidCallbackQuery {
  payId?: number;
  /** As the URL claims it (`success`, `cancel`, ...): shown, never trusted. */
  status?: string;
  userId?: string;
}

/**
 * The lane webhook confirmations use (shared lookups within the confirmation budget), where
 * `verifyCallback` makes its calls too, so a flood of made-up return URLs costs what a flood of
 * forged webhooks does; provided by the webhook providers (internal).
 */
export interface SecPaidConfirmationLane {
  /** Pay-in rows of the next shared lookup that covers `payIds` (none when not found). */
  rowsFor(payIds: readonly number[], signal?: AbortSignal): Promise<readonly PayInTransaction[]>;
  /** Runs one other call within the same budget. */
  spend<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

const PAY_ID = /^\d{1,15}$/;

/**
 * Reads `pay_id`, `status` and `user_id` from what a return page has: a query object
 * (Express/Fastify `request.query`), a query string or a whole URL. Tolerates HTML-escaped
 * separators (`&amp;status=`, which a template may have written into the URL), arrays (a
 * repeated field counts only when every copy agrees) and missing fields; reads own properties
 * only.
 */
export function readCallbackQuery(query: unknown): SecPaidCallbackQuery {
  const fields = new Map<string, string[]>();
  const add = (rawKey: string, value: unknown): void => {
    const key = rawKey.replace(/^(amp;)+/i, '').toLowerCase();
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      if (typeof item !== 'string' && typeof item !== 'number') continue;
      fields.set(key, [...(fields.get(key) ?? []), String(item).trim()]);
    }
  };
  if (typeof query === 'string') {
    const start = query.indexOf('?');
    const search = (start >= 0 ? query.slice(start + 1) : query).split('#')[0]!;
    for (const [key, value] of new URLSearchParams(search.replace(/&amp;/gi, '&'))) {
      add(key, value);
    }
  } else if (typeof query === 'object' && query !== null) {
    for (const key of Object.keys(query)) add(key, (query as Record<string, unknown>)[key]);
  }
  const single = (key: string): string | undefined => {
    const values = fields.get(key);
    if (values === undefined || values.length === 0) return undefined;
    return values.every((value) => value === values[0]) && values[0] !== '' ? values[0] : undefined;
  };
  const payIdText = single('pay_id');
  const payId = payIdText !== undefined && PAY_ID.test(payIdText) ? Number(payIdText) : NaN;
  const result: SecPaidCallbackQuery = {};
  if (Number.isSafeInteger(payId) && payId > 0) result.payId = payId;
  const status = single('status');
  if (status !== undefined) result.status = status;
  const userId = single('user_id');
  if (userId !== undefined) result.userId = userId;
  return result;
}
