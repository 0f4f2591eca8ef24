import { IsSecPaidId } from '../validation/secpaid.validators.js';

/**
 * class-validator DTO of `SecPaidService.deleteLink`'s argument (e.g. a route body).
 * @publicApi
 */
export class DeleteLinkDto {
  /** The numeric link ID (`PaymentLink.id`), not the base64 `link_id` of the URL. */
  @IsSecPaidId()
  linkId!: number;
}
