/**
 * A refund request accepted by `refundPayment`. SecPaid returns no record for it (only a
 * message), and no endpoint reports its later status: an admin approves or rejects it.
 * @publicApi
 */
export interface RefundRequest {
  /** The link / payment ID the refund was requested for. */
  payId: number;
  /** Requested amount in EUR. */
  refundAmount: number;
  /** Whether a full refund was requested. */
  fullRefund: boolean;
  /** Always `Pending` when created. */
  status: 'Pending';
  /** SecPaid's `ResponseMsg` (wording varies between docs pages). */
  message: string;
  /** The envelope exactly as SecPaid sent it. */
  raw: Readonly<Record<string, unknown>>;
}
