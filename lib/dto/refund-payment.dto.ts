import { IsBoolean, IsOptional } from 'class-validator';
import { IsSecPaidAmount, IsSecPaidId } from '../validation/secpaid.validators.js';

/**
 * Input of `SecPaidService.refundPayment`.
 * @publicApi
 */
export interface RefundPaymentInput {
  /** The link / payment ID to refund (`pay_id`). */
  payId: number;
  /** EUR to refund, > 0, at most 2 decimals, at most the paid amount; required even for a full refund. */
  refundAmount: number;
  /** Request a full refund (`isFullRefund`). */
  fullRefund?: boolean;
}

/**
 * class-validator DTO of `RefundPaymentInput`, usable with Nest's `ValidationPipe`.
 * @publicApi
 */
export class RefundPaymentDto implements RefundPaymentInput {
  @IsSecPaidId()
  payId!: number;

  @IsSecPaidAmount()
  refundAmount!: number;

  @IsOptional()
  @IsBoolean()
  fullRefund?: boolean;
}
