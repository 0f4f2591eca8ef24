/**
 * Builds and POSTs the payment_endpoint webhook (docs/secpaid-api.md §4): the form bracket-key
 * shape SecPaid's own plugin reads by default, nested JSON on request, AES-256-CBC encryption as
 * concepts/encryption describes.
 */
import { createCipheriv } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { MockLink, MockWebhookDelivery, MockWebhookFormat } from '../secpaid-mock.types.js';

/** The event a webhook reports. */
export type MockWebhookEvent = MockWebhookDelivery['event'];

/** A webhook body ready to send. */
export interface MockWebhookBody {
  body: string;
  contentType: string;
  encrypted: boolean;
  /** For an encrypted body: the JSON that was encrypted. */
  decryptedBody?: string;
}

/**
 * `data[status]` of each event. `Success` as SecPaid sends it (docs/secpaid-api.md §4.4: the
 * plugin's "fixed success webhook" compares the exact string), `Failed` as the plugin's later
 * versions read it, `cancel` as the how-to page shows it.
 */
export const WEBHOOK_STATUS: Record<MockWebhookEvent, string> = {
  success: 'Success',
  cancel: 'cancel',
  failed: 'Failed',
};

/** AES-256-CBC, key = the 32 key bytes, IV = their first 16, PKCS#7; base64 of the ciphertext. */
export function encryptWebhookPayload(plaintext: string, key: string): string {
  const keyBytes = Buffer.from(key, 'utf8');
  const cipher = createCipheriv('aes-256-cbc', keyBytes, keyBytes.subarray(0, 16));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * The shape of a webhook when nobody chose one: the form body SecPaid's plugin reads
 * (docs/secpaid-api.md §4.4); encrypted, the JSON `{"data":"<base64>"}` of concepts/encryption.
 */
export function defaultWebhookFormat(encrypted: boolean): MockWebhookFormat {
  return encrypted ? 'json' : 'form';
}

/** Builds the body for one event in the requested shape. */
export function buildWebhookBody(
  link: Pick<MockLink, 'id' | 'note' | 'amount' | 'userId'>,
  event: MockWebhookEvent,
  format: MockWebhookFormat,
  encryptionKey: string | undefined,
): MockWebhookBody {
  const status = WEBHOOK_STATUS[event];
  if (encryptionKey !== undefined || format === 'json') {
    // concepts/payment-endpoint nested shape.
    const payload = {
      ResponseCode: 1,
      data: {
        pay_id: link.id,
        note: link.note,
        amount: link.amount,
        user_id: link.userId,
        status,
      },
    };
    const json = JSON.stringify(payload);
    if (encryptionKey === undefined) {
      return { body: json, contentType: 'application/json', encrypted: false };
    }
    const data = encryptWebhookPayload(json, encryptionKey);
    if (format === 'form') {
      // The same envelope, form-encoded: `data=<base64>` (docs/secpaid-api.md §4.6 leaves
      // open whether SecPaid does this; receivers must cope either way).
      const body = new URLSearchParams({ data }).toString();
      return {
        body,
        contentType: 'application/x-www-form-urlencoded',
        encrypted: true,
        decryptedBody: json,
      };
    }
    return {
      body: JSON.stringify({ data }),
      contentType: 'application/json',
      encrypted: true,
      decryptedBody: json,
    };
  }
  // how-to/payment-endpoint bracket keys, form-encoded as PHP's http_build_query would send them
  // and as the plugin reads them with parse_str: `data[status]` (lower-case key) for every event.
  const form = new URLSearchParams();
  form.set('ResponseCode', '1');
  form.set('data[pay_id]', String(link.id));
  form.set('data[amount]', String(link.amount));
  form.set('data[user_id]', link.userId);
  form.set('data[status]', status);
  return {
    body: form.toString(),
    contentType: 'application/x-www-form-urlencoded',
    encrypted: false,
  };
}

/** The headers every webhook POST carries (besides `content-length`). */
export function webhookRequestHeaders(contentType: string): Record<string, string> {
  return { 'content-type': contentType, accept: 'application/json', 'user-agent': 'secpaid-mock' };
}

/** The receiver's answer, or the network error: the outcome part of a delivery record. */
export type MockPostOutcome = Pick<
  MockWebhookDelivery,
  'status' | 'error' | 'responseBody' | 'durationMs'
>;

/** POSTs a body without keep-alive (no sockets outlive the call); never rejects. */
export function postWebhook(
  url: string,
  body: MockWebhookBody,
  timeoutMs: number,
): Promise<MockPostOutcome> {
  const startedAt = performance.now();
  const elapsed = (): number => Math.round((performance.now() - startedAt) * 10) / 10;
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: `Invalid webhook URL: ${url}`, durationMs: 0 });
      return;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      resolve({ error: `Invalid webhook URL: ${url}`, durationMs: 0 });
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'POST',
      agent: false,
      headers: {
        ...webhookRequestHeaders(body.contentType),
        'content-length': Buffer.byteLength(body.body),
      },
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`Timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ error: error.message, durationMs: elapsed() }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        // Only the start is kept (responseBody is cut at 2000 characters anyway).
        if (kept >= 8192) return;
        chunks.push(chunk);
        kept += chunk.length;
      });
      res.on('error', (error) =>
        resolve({ status: res.statusCode, error: error.message, durationMs: elapsed() }),
      );
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
          durationMs: elapsed(),
        }),
      );
    });
    req.end(body.body);
  });
}
