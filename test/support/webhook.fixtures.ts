import { createCipheriv } from 'node:crypto';

/** A 32-character AES-256 key, as SecPaid's `EncryptionKey`. */
export const KEY = 'k3Y-0123456789abcdefghijklmnopqr';
export const OTHER_KEY = 'another-key-0123456789abcdefghij';

/** Encrypts as SecPaid documents it: AES-256-CBC, IV = the key's first 16 bytes, PKCS#7, base64. */
export function encrypt(plaintext: string, key = KEY, autoPadding = true): string {
  return encryptBytes(Buffer.from(plaintext, 'utf8'), key, autoPadding);
}

/** {@link encrypt} for arbitrary bytes (e.g. invalid UTF-8). */
export function encryptBytes(plaintext: Buffer, key = KEY, autoPadding = true): string {
  const keyBytes = Buffer.from(key, 'utf8');
  const cipher = createCipheriv('aes-256-cbc', keyBytes, keyBytes.subarray(0, 16));
  cipher.setAutoPadding(autoPadding);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

/** 32 bytes whose last byte (0x00) is not valid PKCS#7 padding: encrypt with autoPadding off. */
export const BAD_PADDING_PLAINTEXT = '0123456789abcdef0123456789abcde\u0000';

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** The documented nested payload (concepts/payment-endpoint). */
export function nestedPayload(payId = 12345, amount: number | string = 49.99, status = 'Success') {
  return {
    ResponseCode: 1,
    data: { pay_id: payId, note: 'Invoice #1234', amount, user_id: 'usr-abc-def-123', status },
  };
}

/** The documented flat bracket-key payload (how-to/payment-endpoint). */
export function bracketPayload(
  payId: number | string = 12345,
  amount: number | string = 49.99,
  status = 'success',
  statusKey = 'status',
) {
  return {
    ResponseCode: 1,
    'data[pay_id]': payId,
    'data[amount]': amount,
    'data[user_id]': 'usr-abc-def-123',
    'data[note]': 'Invoice #1234',
    [`data[${statusKey}]`]: status,
  };
}

/** The same fields as a form body (what PHP's parse_str reads). */
export function formBody(
  payId: number | string = 12345,
  amount: number | string = 49.99,
  status = 'success',
  statusKey = 'status',
): string {
  return new URLSearchParams({
    ResponseCode: '1',
    'data[pay_id]': String(payId),
    'data[amount]': String(amount),
    'data[user_id]': 'usr-abc-def-123',
    'data[note]': 'Invoice #1234',
    [`data[${statusKey}]`]: status,
  }).toString();
}
