import { IsIn, IsOptional } from 'class-validator';
import type { SecPaidSplitType, SplitRecipient } from '../models/index.js';
import { LinkBaseDto, type LinkInputBase } from './create-link.dto.js';
import { IsSplitRecipients } from '../validation/secpaid.validators.js';

/**
 * Input of `SecPaidService.createSplitLink`.
 * @publicApi
 */
export interface CreateSplitLinkInput extends LinkInputBase {
  /**
   * Who gets what. `normal`: `share` is a percentage (0-100, sum <= 100); `absolute`: `share`
   * is EUR (sum <= amount). You keep the remainder; do not list your own token.
   */
  recipients: SplitRecipient[];
  /** Default `normal`. */
  splitType?: SecPaidSplitType;
}

/**
 * class-validator DTO of `CreateSplitLinkInput`, usable with Nest's `ValidationPipe`.
 * @publicApi
 */
export class CreateSplitLinkDto extends LinkBaseDto implements CreateSplitLinkInput {
  @IsSplitRecipients()
  recipients!: SplitRecipient[];

  @IsOptional()
  @IsIn(['normal', 'absolute'])
  splitType?: SecPaidSplitType;
}
