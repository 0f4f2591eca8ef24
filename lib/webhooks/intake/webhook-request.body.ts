import {
  BadRequestException,
  InternalServerErrorException,
  UnsupportedMediaTypeException,
  type Logger,
} from '@nestjs/common';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { SecPaidSecret } from '../../core/secret.value.js';
import type { SecPaidWebhookEvent } from '../../models/secpaid-webhook-event.model.js';
import {
  SECPAID_WEBHOOK_INVALID_MESSAGE,
  SECPAID_WEBHOOK_MAX_BODY_BYTES,
  SECPAID_WEBHOOK_UNSUPPORTED_MESSAGE,
} from '../../secpaid.constants.js';
import { parseSecPaidWebhook } from './secpaid-webhook.parser.js';
import {
  ReceivedWebhookBody,
  readWebhookBody,
  type WebhookBodyRead,
  SECPAID_WEBHOOK_BODY_TIMEOUT_MS,
  originalContentType,
} from './webhook-route.body-owner.js';

/** The parts of an HTTP request the receiver reads (Express and Fastify both have them). */
export interface SecPaidWebhookRequest {
  headers: IncomingHttpHeaders;
  /** Set by Nest when the app was created with `{ rawBody: true }` (no longer needed). */
  rawBody?: Buffer;
  /** What a body parser made of the body; on the receiver's own route, usually nothing. */
  body?: unknown;
  /** Fastify: the Node request underneath (Express requests are Node requests themselves). */
  raw?: IncomingMessage;
}

/** Shown (and logged) when another body parser of the app read the webhook body first. */
export const SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE =
  'SecPaid webhooks read their own request body, but another body parser of the app consumed ' +
  'it first: exclude the webhook route from that parser';

/**
 * Reads and parses one webhook request into its event (decrypting it when `encryptionKey` is
 * set). Throws the answer otherwise: 415 for a body labelled with a `Content-Encoding` (gzip,
 * ...) or a charset other than UTF-8, which the receiver does not decode (it would otherwise
 * read compressed or UTF-16 bytes as UTF-8); 400 for anything else that is not an acceptable
 * webhook (one message for every rejection); 500 when another body parser of the app consumed
 * the body.
 */
export async function readSecPaidWebhookEvent(
  request: SecPaidWebhookRequest,
  encryptionKey: SecPaidSecret | undefined,
  logger: Logger,
): Promise<SecPaidWebhookEvent> {
  const body = await readWebhookRequestBody(request);
  if (body === 'consumed') {
    logger.error(SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE);
    throw new InternalServerErrorException(SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE);
  }
  if (!isPlainUtf8(firstValue(request.headers['content-encoding']), body.contentType)) {
    throw new UnsupportedMediaTypeException(SECPAID_WEBHOOK_UNSUPPORTED_MESSAGE);
  }
  if (body.read.kind !== 'bytes') throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
  try {
    return parseSecPaidWebhook(body.read.bytes, { contentType: body.contentType, encryptionKey });
  } catch {
    throw new BadRequestException(SECPAID_WEBHOOK_INVALID_MESSAGE);
  }
}

/**
 * The body of a webhook request as the sender sent it, and the sender's `Content-Type`. Read
 * from the Fastify parser's result, else from the unread Node stream (Express), else from a
 * `rawBody` another parser kept; `consumed` when a parser of the app took it without keeping
 * the bytes (a setup error, see {@link SECPAID_WEBHOOK_BODY_CONSUMED_MESSAGE}).
 */
async function readWebhookRequestBody(
  request: SecPaidWebhookRequest,
): Promise<{ read: WebhookBodyRead; contentType: string | undefined } | 'consumed'> {
  const node = nodeRequestOf(request);
  const swapped = originalContentType(node);
  const contentType = swapped ? swapped.value : firstValue(request.headers['content-type']);
  const parsed = ReceivedWebhookBody.readOf(request.body);
  if (parsed !== undefined) return { read: parsed, contentType };
  if (node !== undefined && !node.readableEnded) {
    const read = await readWebhookBody(
      node,
      SECPAID_WEBHOOK_MAX_BODY_BYTES,
      SECPAID_WEBHOOK_BODY_TIMEOUT_MS,
    );
    return { read, contentType };
  }
  const { rawBody } = request;
  if (!Buffer.isBuffer(rawBody)) return 'consumed';
  const tooLarge = rawBody.length > SECPAID_WEBHOOK_MAX_BODY_BYTES;
  return {
    read: tooLarge ? { kind: 'too_large' } : { kind: 'bytes', bytes: rawBody },
    contentType,
  };
}

/** The Node request to read the body from: Fastify's `raw`, or the Express request itself. */
function nodeRequestOf(request: SecPaidWebhookRequest): IncomingMessage | undefined {
  const candidate: unknown = isStream(request.raw) ? request.raw : request;
  return isStream(candidate) ? (candidate as IncomingMessage) : undefined;
}

function isStream(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { on?: unknown }).on === 'function' &&
    typeof (value as { readableEnded?: unknown }).readableEnded === 'boolean'
  );
}

/**
 * Whether the body is labelled as what the receiver reads: no content coding (or `identity`),
 * and no charset or UTF-8 (`utf-8`, `utf8`, any case, quoted or not).
 */
function isPlainUtf8(
  contentEncoding: string | undefined,
  contentType: string | undefined,
): boolean {
  const coding = contentEncoding?.trim().toLowerCase();
  if (coding !== undefined && coding !== '' && coding !== 'identity') return false;
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
