import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  CALENDAR_MONTH,
  IsCalendarDate,
  IsSecPaidId,
  SECPAID_MAX_LIST_LIMIT,
  SECPAID_MAX_TEXT_LENGTH,
  IsNotBeforeDateIn,
  IsSecPaidText,
} from '../validation/secpaid.validators.js';

/**
 * Query of `getMyUnusedLinks` / `getMyUsedLinks` (no paging is documented).
 * @publicApi
 */
export interface LinkListQuery {
  /** Max results, 1-1000 (SecPaid's default 10). */
  limit?: number;
  /** Partial match on the note. */
  search?: string;
}

/**
 * Query of `getPayInTransactions`.
 * @publicApi
 */
export interface PayInTransactionQuery {
  /** Page number, from 1 (default 1). */
  page?: number;
  /** Page size, 1-1000 (SecPaid's default 200). */
  limit?: number;
  /** Matches note, amount, transaction ID or payment method. */
  search?: string;
  /** One day, `YYYY-MM-DD`. */
  date?: string;
  /** The last N days. */
  since?: number;
  /** One specific payment. */
  payId?: number;
}

/**
 * Query of `getPayOutTransactions`.
 * @publicApi
 */
export interface PayOutTransactionQuery {
  /** Page number, from 1 (default 1). */
  page?: number;
  /** Page size, 1-1000 (SecPaid's default 10). */
  limit?: number;
  /** Matches the transaction ID. */
  search?: string;
  /** From, `YYYY-MM-DD`. */
  startDate?: string;
  /** Until, `YYYY-MM-DD`; not before `startDate`. */
  endDate?: string;
}

/**
 * Query of `getTaxInvoiceList`.
 * @publicApi
 */
export interface TaxInvoiceQuery {
  /** Page number, from 1 (default 1). */
  page?: number;
  /** Page size, 1-1000 (SecPaid's default 10). */
  limit?: number;
  /** Search filter. */
  search?: string;
  /** One month, `YYYY-MM`. */
  date?: string;
}

/** `limit`/`search` shared by every list. */
abstract class ListQueryBase {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SECPAID_MAX_LIST_LIMIT)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(SECPAID_MAX_TEXT_LENGTH)
  @IsSecPaidText()
  search?: string;
}

/** `page` for the paged lists. */
abstract class PagedQueryBase extends ListQueryBase {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  page?: number;
}

/**
 * class-validator DTO of `LinkListQuery`.
 * @publicApi
 */
export class LinkListQueryDto extends ListQueryBase implements LinkListQuery {}

/**
 * class-validator DTO of `PayInTransactionQuery`.
 * @publicApi
 */
export class PayInTransactionQueryDto extends PagedQueryBase implements PayInTransactionQuery {
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  since?: number;

  @IsOptional()
  @IsSecPaidId()
  payId?: number;
}

/**
 * class-validator DTO of `PayOutTransactionQuery`.
 * @publicApi
 */
export class PayOutTransactionQueryDto extends PagedQueryBase implements PayOutTransactionQuery {
  @IsOptional()
  @IsCalendarDate()
  startDate?: string;

  @IsOptional()
  @IsCalendarDate()
  @IsNotBeforeDateIn('startDate')
  endDate?: string;
}

/**
 * class-validator DTO of `TaxInvoiceQuery`.
 * @publicApi
 */
export class TaxInvoiceQueryDto extends PagedQueryBase implements TaxInvoiceQuery {
  @IsOptional()
  @Matches(CALENDAR_MONTH, { message: 'must be a YYYY-MM month' })
  date?: string;
}
