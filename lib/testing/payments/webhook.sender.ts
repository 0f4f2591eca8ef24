/**
 * Builds and POSTs the payment_endpoint webhook (docs/secpaid-api.md §4): nested JSON by default,
 * the form bracket-key shape on request, AES-256-CBC encryption as concepts/encryption describes.
 */
import { createCipheriv } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { MockLink, MockWebhookDelivery, MockWebhookFormat } from '../secpaid-mock.types.js';

/** The event a webhook reports. */
export type MockWebhookEvent = MockWebhookDelivery['event'];

/** A webhook body ready to send. */
export interface MockWebhookBody {
  body: string;
  contentType: string;
  encrypted: boolean;
}

/** AES-256-CBC, key = the 32 key bytes, IV = their first 16, PKCS#7; base64 of the ciphertext. */
export function encryptWebhookPayload(plaintext: string, key: string): string {
  const keyBytes = Buffer.from(key, 'utf8');
  const cipher = createCipheriv('aes-256-cbc', keyBytes, keyBytes.subarray(0, 16));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** Builds the body for one event in the requested shape. */
export function buildWebhookBody(
  link: Pick<MockLink, 'id' | 'note' | 'amount' | 'userId'>,
  event: MockWebhookEvent,
  format: MockWebhookFormat,
  encryptionKey: string | undefined,
): MockWebhookBody {
  if (encryptionKey !== undefined || format === 'json') {
    // concepts/payment-endpoint nested shape. The cancel value is only documented as
    // `cancel` (how-to/payment-endpoint), so nested cancels use it too.
    const payload = {
      ResponseCode: 1,
      data: {
        pay_id: link.id,
        note: link.note,
        amount: link.amount,
        user_id: link.userId,
        status: event === 'success' ? 'Success' : 'cancel',
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
      return { body, contentType: 'application/x-www-form-urlencoded', encrypted: true };
    }
    return { body: JSON.stringify({ data }), contentType: 'application/json', encrypted: true };
  }
  // how-to/payment-endpoint bracket keys, form-encoded as PHP's http_build_query would send them.
  const form = new URLSearchParams();
  form.set('ResponseCode', '1');
  form.set('data[pay_id]', String(link.id));
  form.set('data[amount]', String(link.amount));
  form.set('data[user_id]', link.userId);
  if (event === 'success') form.set('data[status]', 'success');
  else form.set('data[Status]', 'cancel');
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
export type MockPostOutcome = Pick<MockWebhookDelivery, 'status' | 'error' | 'responseBody'>;

/** POSTs a body without keep-alive (no sockets outlive the call); never rejects. */
export function postWebhook(
  url: string,
  body: MockWebhookBody,
  timeoutMs: number,
): Promise<MockPostOutcome> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: `Invalid webhook URL: ${url}` });
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
    req.on('error', (error) => resolve({ error: error.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => resolve({ status: res.statusCode, error: error.message }));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          responseBody: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
        }),
      );
    });
    req.end(body.body);
  });
}
