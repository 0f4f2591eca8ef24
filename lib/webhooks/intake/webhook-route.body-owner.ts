import type { IncomingMessage, Server } from 'node:http';
import type { Readable } from 'node:stream';
import { SECPAID_WEBHOOK_MAX_BODY_BYTES } from '../../secpaid.constants.js';

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

/**
 * The content type the receiver's requests carry while the framework handles them: no body
 * parser of the app knows it, so none reads, rejects or limits the body before the receiver.
 */
export const SECPAID_WEBHOOK_PRIVATE_CONTENT_TYPE = 'application/x.nestjs-secpaid.webhook';

/** Longest a webhook body may take to arrive (a slow body must not hold the request forever). */
export const SECPAID_WEBHOOK_BODY_TIMEOUT_MS = 10_000;

/**
 * Where the request's own `Content-Type` is kept once the private one replaced it (`Symbol.for`:
 * the ESM and the CommonJS build of the package read the same mark).
 */
const ORIGINAL_CONTENT_TYPE = Symbol.for('nestjs-secpaid:webhook-content-type');

type MarkedRequest = IncomingMessage & { [ORIGINAL_CONTENT_TYPE]?: { value: string | undefined } };

/** The part of Fastify the owner uses (typed here: platform-fastify is not a dependency). */
interface FastifyLike {
  hasContentTypeParser(type: string): boolean;
  addContentTypeParser(
    type: string,
    parser: (
      request: unknown,
      payload: Readable,
      done: (error: Error | null, body?: unknown) => void,
    ) => void,
  ): void;
}

/** The part of Nest's HTTP adapter the owner uses. */
export interface WebhookHttpAdapter {
  getType(): string;
  getHttpServer(): unknown;
  getInstance(): unknown;
}

/**
 * Makes the receiver own the body of its route, on Express and Fastify alike: a `request`
 * listener placed before the framework's own swaps the `Content-Type` of `POST`s to the
 * webhook path for a private one (keeping the original), so Nest's JSON and form parsers (and
 * their 400/413 wording and 100 kB limit) never touch it, while every other route keeps them.
 * Express then leaves the stream unread for the receiver; on Fastify a parser for the private
 * type reads it within the receiver's limit. The app needs no `rawBody: true`.
 *
 * Paths are compared decoded, case-insensitively, without duplicate or trailing slashes and by
 * suffix (a global prefix or version segment may precede them), i.e. at least as loosely as
 * either framework's router matches, so no spelling reaches the route unswapped.
 * @returns a function that removes the listener
 */
export function ownWebhookRouteBody(adapter: WebhookHttpAdapter, path: string): () => void {
  if (adapter.getType() === 'fastify') addFastifyParser(adapter.getInstance() as FastifyLike);
  const server = adapter.getHttpServer() as Server | undefined;
  if (server === undefined || typeof server.prependListener !== 'function') return () => {};
  const suffix = `/${normalisePath(path)}`;
  const listener = (request: IncomingMessage): void => {
    if (request.method !== 'POST' || !`/${normalisePath(request.url ?? '')}`.endsWith(suffix)) {
      return;
    }
    (request as MarkedRequest)[ORIGINAL_CONTENT_TYPE] = { value: request.headers['content-type'] };
    request.headers['content-type'] = SECPAID_WEBHOOK_PRIVATE_CONTENT_TYPE;
  };
  server.prependListener('request', listener);
  return () => server.off('request', listener);
}

/**
 * The `Content-Type` the sender used, when the owner swapped it; `null` when the request was
 * not marked (an app without an HTTP server of its own, e.g. a test calling the receiver).
 */
export function originalContentType(request: unknown): { value: string | undefined } | null {
  if (typeof request !== 'object' || request === null) return null;
  return (request as MarkedRequest)[ORIGINAL_CONTENT_TYPE] ?? null;
}

function addFastifyParser(fastify: FastifyLike): void {
  // Several registrations (or apps) share one Fastify instance's parser for the private type.
  if (fastify.hasContentTypeParser(SECPAID_WEBHOOK_PRIVATE_CONTENT_TYPE)) return;
  fastify.addContentTypeParser(SECPAID_WEBHOOK_PRIVATE_CONTENT_TYPE, (_request, payload, done) => {
    void readWebhookBody(
      payload,
      SECPAID_WEBHOOK_MAX_BODY_BYTES,
      SECPAID_WEBHOOK_BODY_TIMEOUT_MS,
    ).then((read) => done(null, new ReceivedWebhookBody(read)));
  });
}

/** Path without query, decoded, lower case, without empty segments. */
function normalisePath(url: string): string {
  const path = url.split('?')[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  return decoded
    .toLowerCase()
    .split('/')
    .filter((segment) => segment !== '')
    .join('/');
}
