/** Builders for seeded payouts and tax invoices, with the docs' example values as defaults. */
import {
  berlinDate,
  randomAlphanumeric,
  roundCents,
  transactionId,
} from '../api/wire-format.util.js';
import type { MockPayout, MockTaxInvoice } from '../secpaid-mock.types.js';

/** A payout (api/get-pay-out-transactions example values unless given). */
export function buildPayout(
  seed: Partial<MockPayout>,
  payoutId: number,
  userId: string,
): MockPayout {
  const createdAt = seed.createdAt ?? new Date();
  const payoutAmount = seed.payoutAmount ?? 74.06;
  const serviceFee = seed.serviceFee ?? 0.73;
  return {
    payoutId,
    userId,
    transactionId: transactionId('po', createdAt),
    payoutAmount,
    serviceFee,
    netAmount: roundCents(payoutAmount - serviceFee),
    payoutStatus: 'InProgress',
    requestDate: berlinDate(createdAt),
    createdAt,
    isSplit: false,
    transactionType: 'Basic',
    ...seed,
  };
}

/** A tax invoice (api/get-tax-invoice-list example values unless given). */
export function buildTaxInvoice(
  seed: Partial<MockTaxInvoice>,
  sfId: number,
  userId: string,
): MockTaxInvoice {
  const createdAt = seed.createdAt ?? new Date();
  const invoiceDate = seed.invoiceDate ?? berlinDate(createdAt);
  return {
    sfId,
    userId,
    company: 'Acme GmbH',
    name: 'Max Mustermann',
    street: 'Musterstraße',
    houseNo: '1',
    city: 'Berlin',
    country: 'Germany',
    zipcode: '10115',
    invoiceId: `${invoiceDate.slice(0, 7).replace('-', '')}-sf-${randomAlphanumeric(10)}`,
    invoiceDate,
    serviceMonth: 'April 2026',
    totalSecpaidFee: 10.38,
    totalPspFee: 245.15,
    vat: 0,
    createdAt,
    ...seed,
  };
}
