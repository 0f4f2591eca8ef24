/** createLink, createSplitLink and deleteLink (docs/secpaid-api.md §3.1-§3.3). */
import { assertEncryptionKey } from '../accounts/account.factory.js';
import type { MockLink, MockRecipient } from '../secpaid-mock.types.js';
import { readBoolean, readNumber, readString, type MockBody } from '../server/body.parser.js';
import { requireCallerLink, type MockEndpointContext } from './endpoint.context.js';
import { MockApiError, successEnvelope, type MockEnvelope } from './envelope.util.js';
import { encodeLinkId, qrImageUrl, roundCents, toCents } from './wire-format.util.js';
import { createdLinkRecord } from './wire.serializer.js';

/** api-doc/paths/ wording; the errors page says `Link created successfully`. */
const CREATED_MESSAGE = 'Link has been created successfully';

/** `Amount is required` (errors page); the > 0 message is undocumented and chosen here. */
function readAmount(body: MockBody): number {
  const amount = readNumber(body.amount);
  if (amount === undefined) throw new MockApiError('Amount is required');
  if (!Number.isFinite(amount)) throw new MockApiError('Invalid amount');
  if (amount <= 0) throw new MockApiError('Amount must be greater than 0');
  return roundCents(amount);
}

/** `cancellable` (api pages) or `is_cancellation: "No"` (api-doc/paths) disable cancelling. */
function readCancellable(body: MockBody): boolean {
  if (body.cancellable !== undefined) return readBoolean(body.cancellable, true);
  return readBoolean(body.is_cancellation, true);
}

function buildLink(
  body: MockBody,
  context: MockEndpointContext,
  amount: number,
  split?: { splitType: 'normal' | 'absolute'; recipients: MockRecipient[] },
): MockLink {
  const isEncryption = readBoolean(body.is_encryption, false);
  const encryptionKey = readString(body.encryption_key);
  if (encryptionKey !== undefined) {
    try {
      assertEncryptionKey(encryptionKey);
    } catch {
      // Undocumented: SecPaid does not say what it does with a key that is not 32 characters.
      throw new MockApiError('encryption_key must be 32 characters');
    }
  }
  const id = context.state.linkId();
  const payLink = `${context.baseUrl}/payment?link_id=${encodeLinkId(id)}`;
  const isQrLink = readBoolean(body.is_qr_link, false);
  const link: MockLink = {
    id,
    userId: context.account.userId,
    amount,
    note: readString(body.recipient_note) ?? '',
    status: 'Unused',
    callbackUrl: readString(body.callback_url) ?? '',
    paymentEndpoint: readString(body.payment_endpoint) ?? '',
    cancellable: readCancellable(body),
    bankTransfer: readBoolean(body.bank_transfer, false),
    isQrLink,
    isSplit: split !== undefined,
    splitType: split?.splitType ?? 'normal',
    recipients: split?.recipients ?? [],
    isEncryption,
    bankStatementDescription: readString(body.bank_statement_description) ?? '',
    transactionType: split ? 'Split' : isQrLink ? 'Personal QR' : 'Basic',
    createdAt: new Date(),
    payLink,
    qrImg: qrImageUrl(payLink),
  };
  if (encryptionKey !== undefined) link.encryptionKey = encryptionKey;
  context.state.links.push(link);
  return link;
}

/** POST /api/v2/createLink. */
export function createLink(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const amount = readAmount(body);
  const link = buildLink(body, context, amount);
  return successEnvelope(CREATED_MESSAGE, createdLinkRecord(link, context.account));
}

/** Recipients arrive as a JSON array, a JSON-encoded string, or form bracket keys. */
function readRecipientList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (value !== null && typeof value === 'object') return Object.values(value);
  return undefined;
}

function readRecipients(
  body: MockBody,
  context: MockEndpointContext,
  amount: number,
  splitType: 'normal' | 'absolute',
): MockRecipient[] {
  const list = readRecipientList(body.recipients);
  // Undocumented message: the docs only say recipients are required.
  if (list === undefined || list.length === 0) throw new MockApiError('Recipients are required');
  const recipients = list.map((entry, index): MockRecipient => {
    const record = entry !== null && typeof entry === 'object' ? (entry as MockBody) : {};
    const token = readString(record.token);
    if (token === context.account.recipientToken) {
      // concepts/split-links: the owner must not be a recipient; the message is undocumented.
      throw new MockApiError('You cannot add your own recipient token');
    }
    if (token === undefined || !context.knownRecipientTokens.has(token)) {
      throw new MockApiError(`Invalid recipient token at index ${index}`);
    }
    const share = readNumber(record.share);
    if (share === undefined || !Number.isFinite(share) || share <= 0) {
      // Undocumented message.
      throw new MockApiError(`Invalid share at index ${index}`);
    }
    return { token, share };
  });
  const totalCents = recipients.reduce((sum, r) => sum + toCents(r.share), 0);
  if (splitType === 'normal' && totalCents > 100 * 100) {
    // Undocumented message: normal shares are percentages and must not exceed 100 in total.
    throw new MockApiError('Total share must not exceed 100');
  }
  if (splitType === 'absolute' && totalCents > toCents(amount)) {
    // Undocumented message: "the sum of shares must not exceed amount" (api/create-split-link).
    throw new MockApiError('Total share must not exceed the amount');
  }
  return recipients;
}

/** POST /api/v2/createSplitLink. */
export function createSplitLink(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const amount = readAmount(body);
  const rawType = (readString(body.split_type) ?? 'normal').toLowerCase();
  // Undocumented message for an unknown split_type.
  if (rawType !== 'normal' && rawType !== 'absolute') throw new MockApiError('Invalid split_type');
  const recipients = readRecipients(body, context, amount, rawType);
  const link = buildLink(body, context, amount, { splitType: rawType, recipients });
  return successEnvelope(CREATED_MESSAGE, createdLinkRecord(link, context.account));
}

/** POST /api/v2/deleteLink: only Unused links of the caller can be deleted. */
export function deleteLink(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const linkId = readNumber(body.link_id);
  if (linkId === undefined) throw new MockApiError('Please enter link_id');
  // Undocumented: a cancelled link is not Unused, so it cannot be deleted either.
  const link = requireCallerLink(context, linkId);
  if (link.status === 'Used') throw new MockApiError('This link is already used');
  link.status = 'Deleted';
  return successEnvelope('Link has been deleted successfully');
}
