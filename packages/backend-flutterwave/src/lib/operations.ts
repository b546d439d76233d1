import {
  type BackendContext,
  type OperationResult,
  PaybridgeError,
  type Payment,
  type PaymentFact,
  type RefundRequest,
} from '@paybridge/core';
import { fromMajor, jsonWithAmount, toMajorDecimal } from './amounts';
import { expectSuccess, flutterwaveRequest } from './api-client';
import { DATA, transactionFacts } from './facts';
import { type FlutterwaveRefund, findEarlierAttempt, refundSchema } from './refund-lookup';
import type { FlutterwaveSettings } from './settings';
import { verifyByReference } from './transactions';

/**
 * Status pull by our own reference (`verify_by_reference`, §6): it finds the transaction whatever
 * happened to the webhook or the return. Nothing found yet (the buyer has not paid) is no news.
 */
export async function pullStatus(
  payment: Payment,
  ctx: BackendContext,
  settings: FlutterwaveSettings,
): Promise<PaymentFact[]> {
  const result = await verifyByReference(settings, ctx, payment.id);
  const facts: PaymentFact[] = [];
  if (result.found && result.transaction.tx_ref === payment.id) {
    facts.push(...transactionFacts(result.transaction, payment, settings));
  }
  facts.push(...(await pendingRefundFacts(payment, ctx, settings)));
  return facts;
}

/** Our refund id → Flutterwave's refund id, kept in brokerData to poll pending refunds. */
function knownRefunds(payment: Payment): Record<string, string> {
  const value = payment.brokerData[DATA.refunds];
  return value && typeof value === 'object' ? (value as Record<string, string>) : {};
}

function refundFacts(
  refund: FlutterwaveRefund,
  refundId: string,
  amount: number,
  currency: string,
): PaymentFact[] {
  const eventId = `flw:refund:${refund.id}:${refund.status}`;
  switch (refund.status) {
    case 'completed':
    case 'successful':
      return [{ eventId, type: 'refunded', refundId, amount, currency }];
    case 'failed':
    case 'cancelled':
      return [
        {
          eventId,
          type: 'refund_failed',
          refundId,
          reason: `Flutterwave refund ${refund.id} ${refund.status}`,
        },
      ];
    default:
      // pending / processing / new (the list is UNCONFIRMED, §7.2): still under way.
      return [{ eventId, type: 'refund_pending', refundId, amount, currency }];
  }
}

/**
 * `POST /transactions/{id}/refund` on the bound transaction, `amount` in major units (omitted would
 * mean "all"; always sent so a partial refund is exactly what was asked). v3 takes no idempotency key
 * (UNCONFIRMED): core records the request on the ledger entry first and never sends a second one for
 * the same refund id once Flutterwave answered; while it is unanswered (a lost answer, retried), the
 * transaction's refunds are listed first and a refund our earlier attempt made is adopted instead.
 */
export async function refundTransaction(
  payment: Payment,
  request: RefundRequest,
  ctx: BackendContext,
  settings: FlutterwaveSettings,
): Promise<OperationResult> {
  const transactionId = payment.externalId;
  if (!transactionId) {
    throw new PaybridgeError(
      'INVALID_STATE',
      `payment ${payment.id} has no Flutterwave transaction to refund`,
    );
  }
  const known = knownRefunds(payment);
  const earlier = await findEarlierAttempt(payment, request, transactionId, known, ctx, settings);
  if (earlier) return refundResult(earlier, payment, request, known);
  const fields = { comments: request.reason ?? `paybridge refund ${request.refundId}` };
  const answer = await flutterwaveRequest(settings, ctx, {
    method: 'POST',
    path: `/transactions/${encodeURIComponent(transactionId)}/refund`,
    body: jsonWithAmount(fields, toMajorDecimal(request.amount, payment.currency)),
    kind: 'refund',
    paymentId: payment.id,
  });
  const parsed = refundSchema().safeParse(expectSuccess(answer, 'refund the transaction'));
  if (!parsed.success)
    throw new PaybridgeError('BROKER_ERROR', 'Flutterwave answered the refund without a refund');
  return refundResult(parsed.data, payment, request, known);
}

function refundResult(
  refund: FlutterwaveRefund,
  payment: Payment,
  request: RefundRequest,
  known: Record<string, string>,
): OperationResult {
  const amount =
    refund.amount_refunded === undefined
      ? request.amount
      : fromMajor(refund.amount_refunded, payment.currency);
  return {
    facts: refundFacts(refund, request.refundId, amount, payment.currency),
    brokerData: { [DATA.refunds]: { ...known, [request.refundId]: refund.id } },
  };
}

/** `GET /refunds/{id}` for each refund still pending (no v3 refund webhook is confirmed, §7.2). */
async function pendingRefundFacts(
  payment: Payment,
  ctx: BackendContext,
  settings: FlutterwaveSettings,
): Promise<PaymentFact[]> {
  const ids = knownRefunds(payment);
  const facts: PaymentFact[] = [];
  for (const entry of payment.refunds) {
    const flutterwaveId = ids[entry.id];
    if (entry.status !== 'pending' || !flutterwaveId) continue;
    const answer = await flutterwaveRequest(settings, ctx, {
      method: 'GET',
      path: `/refunds/${encodeURIComponent(flutterwaveId)}`,
      kind: 'get-refund',
      paymentId: payment.id,
    });
    const parsed = answer.ok ? refundSchema().safeParse(answer.data) : null;
    if (parsed?.success) facts.push(...refundFacts(parsed.data, entry.id, entry.amount, payment.currency));
  }
  return facts;
}
