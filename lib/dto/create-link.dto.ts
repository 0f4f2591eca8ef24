import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import {
  IsSecPaidAmount,
  IsUrlOrIndexList,
  SECPAID_MAX_TEXT_LENGTH,
} from './secpaid-validators.js';

/**
 * Input of `SecPaidService.createLink`.
 * @publicApi
 */
export interface CreateLinkInput {
  /** EUR, > 0, at most 2 decimals (`amount`). */
  amount: number;
  /** Your reference, shown to the payer (`recipient_note`). */
  note?: string;
  /** Browser redirect: a URL, a zero-based index into your saved list, or a comma-separated mix. */
  callbackUrl?: string;
  /** Webhook target(s): a URL, a zero-based index, or a comma-separated mix. */
  paymentEndpoint?: string;
  /** Whether the customer may cancel (SecPaid's default: true). */
  cancellable?: boolean;
  /** Offer bank transfer as a payment method (`bank_transfer`). */
  bankTransfer?: boolean;
  /** Encrypt this link's webhooks (`is_encryption`). */
  encryptWebhooks?: boolean;
  /** 32-character AES-256-CBC key for this link's webhooks (`encryption_key`). */
  encryptionKey?: string;
  /** Text on the customer's bank statement (`bank_statement_description`). */
  bankStatementDescription?: string;
  /** Create a Personal QR link (`is_qr_link`). */
  isQrLink?: boolean;
}

/**
 * class-validator DTO of `CreateLinkInput`, usable with Nest's `ValidationPipe`.
 * @publicApi
 */
export class CreateLinkDto implements CreateLinkInput {
  @IsSecPaidAmount()
  amount!: number;

  @IsOptional()
  @IsString()
  @MaxLength(SECPAID_MAX_TEXT_LENGTH)
  note?: string;

  @IsOptional()
  @IsUrlOrIndexList()
  callbackUrl?: string;

  @IsOptional()
  @IsUrlOrIndexList()
  paymentEndpoint?: string;

  @IsOptional()
  @IsBoolean()
  cancellable?: boolean;

  @IsOptional()
  @IsBoolean()
  bankTransfer?: boolean;

  @IsOptional()
  @IsBoolean()
  encryptWebhooks?: boolean;

  @IsOptional()
  @IsString()
  @Length(32, 32)
  encryptionKey?: string;

  @IsOptional()
  @IsString()
  @MaxLength(SECPAID_MAX_TEXT_LENGTH)
  bankStatementDescription?: string;

  @IsOptional()
  @IsBoolean()
  isQrLink?: boolean;
}

/** Wire body: snake_case; `bank_transfer`, `is_encryption`, `is_qr_link` as `"true"`/`"false"` (api/create-link). */
export function createLinkWireBody(input: CreateLinkInput): Record<string, unknown> {
  const body: Record<string, unknown> = { amount: input.amount };
  if (input.note !== undefined) body['recipient_note'] = input.note;
  if (input.callbackUrl !== undefined) body['callback_url'] = input.callbackUrl;
  if (input.paymentEndpoint !== undefined) body['payment_endpoint'] = input.paymentEndpoint;
  if (input.cancellable !== undefined) body['cancellable'] = input.cancellable;
  if (input.bankTransfer !== undefined) body['bank_transfer'] = String(input.bankTransfer);
  if (input.encryptWebhooks !== undefined) body['is_encryption'] = String(input.encryptWebhooks);
  if (input.encryptionKey !== undefined) body['encryption_key'] = input.encryptionKey;
  if (input.bankStatementDescription !== undefined) {
    body['bank_statement_description'] = input.bankStatementDescription;
  }
  if (input.isQrLink !== undefined) body['is_qr_link'] = String(input.isQrLink);
  return body;
}
