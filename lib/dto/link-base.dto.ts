import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  IsSecPaidAmount,
  IsUrlOrIndexList,
  SECPAID_MAX_TEXT_LENGTH,
  IsSecPaidText,
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
