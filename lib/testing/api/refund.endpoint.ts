/** refundPayment (docs/secpaid-api.md §3.4, api/refund-payment wording). */
import { readBoolean, readNumber, type MockBody } from '../server/body.parser.js';
import { requireCallerLink, type MockEndpointContext } from './endpoint.context.js';
import { MockApiError, successEnvelope, type MockEnvelope } from './envelope.util.js';
import { roundCents } from './wire-format.util.js';

const REFUND_SENT_MESSAGE =
  'Refund request has been sent successfully, You will get update within 5-10 days';

/** POST /api/v2/refundPayment: one Pending refund request per paid link. */
export function refundPayment(body: MockBody, context: MockEndpointContext): MockEnvelope {
  const payId = readNumber(body.pay_id);
  if (payId === undefined) throw new MockApiError('Please enter pay_id');
  const refundAmount = readNumber(body.refund_amount);
  if (refundAmount === undefined) throw new MockApiError('Please enter refund_amount');
  const link = requireCallerLink(context, payId);
  // Undocumented: an unpaid link has nothing to refund.
  if (link.status !== 'Used') throw new MockApiError('Link is not paid yet');
  if (context.state.refunds.some((refund) => refund.payId === link.id)) {
    throw new MockApiError('Refund already requested');
  }
  const paid = context.state.payIns.find((p) => p.payId === link.id)?.amount ?? link.amount;
  if (!Number.isFinite(refundAmount) || refundAmount <= 0 || roundCents(refundAmount) > paid) {
    throw new MockApiError('Invalid refund amount');
  }
  context.state.refunds.push({
    refundId: context.state.refundId(),
    payId: link.id,
    userId: context.account.userId,
    amount: roundCents(refundAmount),
    isFullRefund: readBoolean(body.isFullRefund ?? body.is_full_refund, false),
    status: 'Pending',
    createdAt: new Date(),
  });
  return successEnvelope(REFUND_SENT_MESSAGE);
}
