import {
  type BackendContext,
  type OperationResult,
  PaybridgeError,
  type Payment,
  type RefundRequest,
} from '@paybridge/core';
import { formatPaypalAmount, parsePaypalAmount } from './currencies';
import { callNvp, isSuccess, nvpFailure } from './nvp-client';
import type { PaypalApiSettings } from './settings';

/**
 * The `brokerData` key recording which of our refunds a PayPal refund transaction is: the refund
 * IPN that follows (`txn_id` = REFUNDTRANSACTIONID) is then the same refund, never a second one.
 */
export const REFUND_TXN_KEY = 'paypalRefundTxn';
export const refundTxnKey = (refundTxnId: string) => `${REFUND_TXN_KEY}:${refundTxnId}`;

/**
 * RefundTransaction (§5): `Full` (no AMT) when the whole paid amount goes back at once, otherwise
 * `Partial` with AMT and CURRENCYCODE (never left to default to USD, §10.2). `MSGSUBID` is our refund
 * id: a retried refund (same idempotency key) gets PayPal's earlier answer, not a second refund.
 * The fact carries the refund IPN's event id (`<REFUNDTRANSACTIONID>:Refunded`) and our refund id.
 */
export async function refundTransaction(
  payment: Payment,
  request: RefundRequest,
  ctx: BackendContext,
  api: PaypalApiSettings,
  url: string,
): Promise<OperationResult> {
  const txnId = payment.externalId;
  if (!txnId) {
    throw new PaybridgeError('INVALID_STATE', `${payment.id} has no PayPal transaction to refund`, {
      details: { paymentId: payment.id },
    });
  }
  const full = request.amount === payment.amountPaid && payment.amountRefunded === 0;
  const fields: Record<string, string> = {
    TRANSACTIONID: txnId,
    REFUNDTYPE: full ? 'Full' : 'Partial',
    MSGSUBID: request.refundId.slice(0, 38),
    ...(full
      ? {}
      : { AMT: formatPaypalAmount(request.amount, payment.currency), CURRENCYCODE: payment.currency }),
    ...(request.reason ? { NOTE: request.reason.slice(0, 255) } : {}),
  };
  const what = `refund transaction ${txnId}`;
  const answer = await callNvp(api, ctx, url, {
    method: 'RefundTransaction',
    fields,
    kind: 'nvp-refund',
    paymentId: payment.id,
    what,
  });
  if (!isSuccess(answer)) throw nvpFailure(what, answer);
  const refundTxnId = answer.get('REFUNDTRANSACTIONID');
  if (!refundTxnId) {
    // Accepted but unnamed: the outcome is unknown to us; the refund stays pending, its IPN settles it.
    throw new PaybridgeError('BROKER_UNAVAILABLE', `PayPal accepted ${what} without a REFUNDTRANSACTIONID`, {
      details: { correlationId: answer.correlationId },
    });
  }
  const gross = parsePaypalAmount(answer.get('GROSSREFUNDAMT')?.replace(/,/g, ''), payment.currency);
  if (gross !== null && gross !== request.amount) {
    ctx.logger.warn('paypal: refund amount differs from the request', {
      paymentId: payment.id,
      requested: request.amount,
      refunded: gross,
    });
  }
  const amount = gross ?? request.amount;
  const delayed = answer.get('REFUNDSTATUS')?.toLowerCase() === 'delayed';
  const brokerData = {
    [refundTxnKey(refundTxnId)]: request.refundId,
    paypalRefund: {
      refundTxnId,
      refundId: request.refundId,
      status: answer.get('REFUNDSTATUS') ?? null,
      pendingReason: answer.get('PENDINGREASON') ?? null,
      correlationId: answer.correlationId,
    },
  };
  return {
    facts: [
      delayed
        ? {
            type: 'refund_pending',
            eventId: `${refundTxnId}:refund-delayed`,
            refundId: request.refundId,
            amount,
            currency: payment.currency,
          }
        : {
            type: 'refunded',
            eventId: `${refundTxnId}:Refunded`,
            refundId: request.refundId,
            amount,
            currency: payment.currency,
          },
    ],
    brokerData,
  };
}

export interface CancelSubscriptionResult {
  profileId: string;
  /** PayPal said the profile was no longer active or suspended (11556): cancelled or expired earlier. */
  alreadyInactive: boolean;
  correlationId: string | null;
}

/**
 * ManageRecurringPaymentsProfileStatus `Cancel` of the subscription the payment is bound to (§7).
 * Only `I-` profiles are managed by the API; 11556 (not active or suspended) counts as done. The
 * cancellation IPN that follows (`subscr_cancel` or `recurring_payment_profile_cancel`) records it.
 */
export async function cancelProfile(
  payment: Payment,
  ctx: BackendContext,
  api: PaypalApiSettings,
  url: string,
  note?: string,
): Promise<CancelSubscriptionResult> {
  const subscription = payment.subscription;
  if (!subscription || subscription.awaitingSignup) {
    throw new PaybridgeError('INVALID_STATE', `${payment.id} is not bound to a PayPal subscription`, {
      details: { paymentId: payment.id },
    });
  }
  const profileId = subscription.id;
  if (!profileId.startsWith('I-')) {
    throw new PaybridgeError(
      'CAPABILITY_NOT_SUPPORTED',
      `PayPal subscription ${profileId} predates recurring-payment profiles: cancel it in PayPal's back office`,
      { details: { subscriptionId: profileId } },
    );
  }
  const what = `cancel subscription ${profileId}`;
  const answer = await callNvp(api, ctx, url, {
    method: 'ManageRecurringPaymentsProfileStatus',
    fields: { PROFILEID: profileId, ACTION: 'Cancel', ...(note ? { NOTE: note.slice(0, 255) } : {}) },
    kind: 'nvp-cancel-subscription',
    paymentId: payment.id,
    what,
  });
  if (isSuccess(answer)) return { profileId, alreadyInactive: false, correlationId: answer.correlationId };
  if (answer.errors.some((e) => e.code === '11556'))
    return { profileId, alreadyInactive: true, correlationId: answer.correlationId };
  throw nvpFailure(what, answer);
}
