export { CreateLinkDto, type CreateLinkInput } from './create-link.dto.js';
export { CreateSplitLinkDto, type CreateSplitLinkInput } from './create-split-link.dto.js';
export { DeleteLinkDto } from './delete-link.dto.js';
export { RefundPaymentDto, type RefundPaymentInput } from './refund-payment.dto.js';
export {
  LinkListQueryDto,
  PayInTransactionQueryDto,
  PayOutTransactionQueryDto,
  TaxInvoiceQueryDto,
  type LinkListQuery,
  type PayInTransactionQuery,
  type PayOutTransactionQuery,
  type TaxInvoiceQuery,
} from './list-queries.dto.js';
export {
  IsSecPaidAmount,
  IsSplitRecipients,
  IsUrlOrIndexList,
  SECPAID_MAX_LIST_LIMIT,
} from '../validation/secpaid.validators.js';
