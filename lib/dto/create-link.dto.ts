import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LinkBaseDto, type LinkInputBase } from './link-base.dto.js';
import {
  ENCRYPTION_KEY_PATTERN,
  ENCRYPTION_KEY_RULE,
  SECPAID_MAX_TEXT_LENGTH,
  IsSecPaidText,
} from '../validation/secpaid.validators.js';

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
