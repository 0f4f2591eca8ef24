import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { SecPaidSplitType, SplitRecipient } from '../models/index.js';
import {
  IsSecPaidAmount,
  IsSplitRecipients,
  IsUrlOrIndexList,
  SECPAID_MAX_TEXT_LENGTH,
} from './secpaid-validators.js';

/**
 * Input of `SecPaidService.createSplitLink`.
 * @publicApi
 */
export interface CreateSplitLinkInput {
  /** Total EUR the customer pays, > 0, at most 2 decimals. */
  amount: number;
  /**
   * Who gets what. `normal`: `share` is a percentage (0-100, sum <= 100); `absolute`: `share`
   * is EUR (sum <= amount). You keep the remainder; do not list your own token.
   */
  recipients: SplitRecipient[];
  /** Default `normal`. */
  splitType?: SecPaidSplitType;
  /** Your reference, shown to the payer (`recipient_note`). */
  note?: string;
  /** A URL, a zero-based index, or a comma-separated mix. */
  callbackUrl?: string;
  /** A URL, a zero-based index, or a comma-separated mix. */
  paymentEndpoint?: string;
  /** Whether the customer may cancel (SecPaid's default: true). */
  cancellable?: boolean;
  /** Create a Personal QR link (`is_qr_link`). */
  isQrLink?: boolean;
}

/**
 * class-validator DTO of `CreateSplitLinkInput`, usable with Nest's `ValidationPipe`.
 * @publicApi
 */
export class CreateSplitLinkDto implements CreateSplitLinkInput {
  @IsSecPaidAmount()
  amount!: number;

  @IsSplitRecipients()
  recipients!: SplitRecipient[];

  @IsOptional()
  @IsIn(['normal', 'absolute'])
  splitType?: SecPaidSplitType;

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
  isQrLink?: boolean;
}

/**
 * Wire body as JSON; `recipients` stays an array of `{ token, share }`. `is_qr_link` is a JSON
 * boolean here because api/create-split-link documents it as one (createLink: a string).
 */
export function createSplitLinkWireBody(input: CreateSplitLinkInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    amount: input.amount,
    recipients: input.recipients.map(({ token, share }) => ({ token, share })),
  };
  if (input.splitType !== undefined) body['split_type'] = input.splitType;
  if (input.note !== undefined) body['recipient_note'] = input.note;
  if (input.callbackUrl !== undefined) body['callback_url'] = input.callbackUrl;
  if (input.paymentEndpoint !== undefined) body['payment_endpoint'] = input.paymentEndpoint;
  if (input.cancellable !== undefined) body['cancellable'] = input.cancellable;
  if (input.isQrLink !== undefined) body['is_qr_link'] = input.isQrLink;
  return body;
}
