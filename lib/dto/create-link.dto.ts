import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  ENCRYPTION_KEY_PATTERN,
  ENCRYPTION_KEY_RULE,
  SECPAID_MAX_TEXT_LENGTH,
  IsSecPaidText,
  IsSecPaidAmount,
  IsUrlOrIndexList,
} from '../validation/secpaid.validators.js';

/**
 * Fields `createLink` and `createSplitLink` share (internal: reached through their inputs).
 */
export interface LinkInputBase {
  /** EUR the customer pays, > 0, at most 2 decimals (`amount`). */
  amount: number;
  /** Your reference, shown to the payer (`recipient_note`). */
  note?: string;
  /** Browser redirect: a URL, a zero-based index into your saved list, or a comma-separated mix. */
  callbackUrl?: string;
  /** Webhook target(s): a URL, a zero-based index, or a comma-separated mix. */
  paymentEndpoint?: string;
  /** Whether the customer may cancel (SecPaid's default: true). */
  cancellable?: boolean;
  /** Create a Personal QR link (`is_qr_link`). */
  isQrLink?: boolean;
}

/**
 * class-validator rules of `LinkInputBase`; the two link DTOs extend it (internal).
 */
export abstract class LinkBaseDto implements LinkInputBase {
  @IsSecPaidAmount()
  amount!: number;

  @IsOptional()
  @IsString()
  @MaxLength(SECPAID_MAX_TEXT_LENGTH)
  @IsSecPaidText()
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
  isQrLink?: boolean;
}

/**
 * Input of `SecPaidService.createLink`.
 * @publicApi
 */
export interface CreateLinkInput extends LinkInputBase {
  /** Offer bank transfer as a payment method (`bank_transfer`). */
  bankTransfer?: boolean;
  /** Encrypt this link's webhooks (`is_encryption`). */
  encryptWebhooks?: boolean;
  /** 32 ASCII characters (32 bytes): the AES-256-CBC key for this link's webhooks (`encryption_key`). */
  encryptionKey?: string;
  /** Text on the customer's bank statement (`bank_statement_description`). */
  bankStatementDescription?: string;
}

/**
 * class-validator DTO of `CreateLinkInput`, usable with Nest's `ValidationPipe`.
 * @publicApi
 */
export class CreateLinkDto extends LinkBaseDto implements CreateLinkInput {
  @IsOptional()
  @IsBoolean()
  bankTransfer?: boolean;

  @IsOptional()
  @IsBoolean()
  encryptWebhooks?: boolean;

  @IsOptional()
  @IsString()
  @Matches(ENCRYPTION_KEY_PATTERN, { message: `$property ${ENCRYPTION_KEY_RULE}` })
  encryptionKey?: string;

  @IsOptional()
  @IsString()
  @MaxLength(SECPAID_MAX_TEXT_LENGTH)
  @IsSecPaidText()
  bankStatementDescription?: string;
}
