import type { Readable } from 'node:stream';

/** What reading a webhook body produced: the bytes, or why there are none. */
export type WebhookBodyRead =
  { kind: 'bytes'; bytes: Buffer } | { kind: 'too_large' } | { kind: 'incomplete' };

const RECEIVED_BODY_BRAND = Symbol.for('nestjs-secpaid:received-webhook-body');

/** Marks a {@link WebhookBodyRead} handed from a framework's body parser to the receiver. */
export class ReceivedWebhookBody {
  readonly [RECEIVED_BODY_BRAND] = true;

  constructor(readonly read: WebhookBodyRead) {}

  /** The read carried by `value`, also when the other build (ESM/CommonJS) made it. */
  static readOf(value: unknown): WebhookBodyRead | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    if ((value as Record<symbol, unknown>)[RECEIVED_BODY_BRAND] !== true) return undefined;
    return (value as ReceivedWebhookBody).read;
  }
}

/**
 * Reads a request body as raw bytes, at most `maxBytes` of them, within `timeoutMs`. Over the
 * limit the rest is discarded unread (the answer is already known); a body that stops arriving
 * or a connection that closes early is `incomplete`. Never rejects.
 */
export function readWebhookBody(
  stream: Readable,
  maxBytes: number,
  timeoutMs: number,
): Promise<WebhookBodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (read: WebhookBodyRead): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onIncomplete);
      stream.off('close', onIncomplete);
      // Drain what is left so the answer can still be written on this connection.
      if (read.kind !== 'bytes') stream.resume();
      resolve(read);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > maxBytes) return finish({ kind: 'too_large' });
      chunks.push(bytes);
    };
    const onEnd = (): void => finish({ kind: 'bytes', bytes: Buffer.concat(chunks, size) });
    const onIncomplete = (): void => finish({ kind: 'incomplete' });
    const timer = setTimeout(onIncomplete, timeoutMs);
    timer.unref();
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onIncomplete);
    stream.once('close', onIncomplete);
  });
}
