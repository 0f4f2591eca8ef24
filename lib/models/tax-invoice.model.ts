import {
  optionalBerlinDate,
  asRecord,
  optionalNumber,
  optionalString,
  readId,
} from './wire-value.util.js';

/**
 * A monthly service-fee invoice, as returned by `getTaxInvoiceList`.
 * @publicApi
 */
export interface TaxInvoice {
  /** Internal record ID (`sf_id`). */
  id: number;
  /** `YYYYMM-sf-XXXXXXXXXX`. */
  invoiceId: string | undefined;
  /** `YYYY-MM-DD` (a calendar date, kept as text). */
  invoiceDate: string | undefined;
  /** Human-readable, e.g. `April 2026`. */
  serviceMonth: string | undefined;
  /** SecPaid fees of the month, EUR. */
  totalSecPaidFee: number | undefined;
  /** Payment provider fees of the month, EUR. */
  totalPspFee: number | undefined;
  /** VAT (0 for reverse charge). */
  vat: number | undefined;
  /** Billing address as SecPaid stores it: `company`, `name`, `street`, `house_no`, `city`, `country`, `zipcode`. */
  company: string | undefined;
  /** Contact name. */
  name: string | undefined;
  /** Street. */
  street: string | undefined;
  /** `house_no`. */
  houseNo: string | undefined;
  /** City. */
  city: string | undefined;
  /** Country. */
  country: string | undefined;
  /** Postal code. */
  zipcode: string | undefined;
  /** Invoiced account (`user_id`). */
  userId: string | undefined;
  /** `created_at`, Europe/Berlin local time on the wire. */
  createdAt: Date | undefined;
  /** The record exactly as SecPaid sent it. */
  raw: Readonly<Record<string, unknown>>;
}

/** Parses one `getTaxInvoiceList` record. */
export function parseTaxInvoice(value: unknown): TaxInvoice {
  const record = asRecord(value, 'data[]');
  return {
    id: readId(record, 'sf_id', 'id'),
    invoiceId: optionalString(record, 'invoice_id'),
    invoiceDate: optionalString(record, 'invoice_date'),
    serviceMonth: optionalString(record, 'service_month'),
    totalSecPaidFee: optionalNumber(record, 'total_secpaid_fee'),
    totalPspFee: optionalNumber(record, 'total_psp_fee'),
    vat: optionalNumber(record, 'vat'),
    company: optionalString(record, 'company'),
    name: optionalString(record, 'name'),
    street: optionalString(record, 'street'),
    houseNo: optionalString(record, 'house_no'),
    city: optionalString(record, 'city'),
    country: optionalString(record, 'country'),
    zipcode: optionalString(record, 'zipcode'),
    userId: optionalString(record, 'user_id'),
    createdAt: optionalBerlinDate(record, 'created_at'),
    raw: record,
  };
}
