import {
  type BackendContext,
  type OperationResult,
  PaybridgeError,
  type Payment,
  type RefundRequest,
} from '@paybridge/core';
import { digest, toHex, utf8 } from '@paybridge/core/kit';
import { callP24, errorText, p24Error } from './api-client';
import { refundFact, refundKey } from './facts';
import type { Przelewy24Settings } from './settings';
import { sessionIdOf } from './transactions';

/**
 * Our refund id as P24's `refundsUuid` (≤ 35 chars) and `requestId` (≤ 45): the id itself when it fits,
 * else a digest of it, so a retried refund always sends the same ids and P24 answers "Request already
 * exists" instead of refunding twice (reference §8.1).
 */
export async function refundsUuidOf(refundId: string): Promise<string> {
  if (/^[A-Za-z0-9_-]{1,35}$/.test(refundId)) return refundId;
  return `r_${toHex(await digest('SHA-256', utf8(refundId))).slice(0, 32)}`;
}

const isAbsoluteHttp = (url: unknown): url is string =>
  typeof url === 'string' && /^https?:\/\/[^/]/i.test(url);

/**
 * Where P24 posts the refund notification: this backend's notification URL, or — for a refund started
 * outside a request, when the bridge knows no absolute base URL — the one the payment was registered
 * with. Neither: omitted, and P24 uses the panel's default address (the pull still reads the refund).
 */
function refundNotifyUrl(payment: Payment, ctx: BackendContext): string | null {
  if (isAbsoluteHttp(ctx.notifyUrl)) return ctx.notifyUrl;
  return isAbsoluteHttp(payment.brokerData.p24NotifyUrl) ? payment.brokerData.p24NotifyUrl : null;
}

/** `POST /transaction/refund` of part or all of the paid transaction; the outcome comes by notification or pull. */
export async function refundTransaction(
  payment: Payment,
  request: RefundRequest,
  ctx: BackendContext,
  settings: Przelewy24Settings,
): Promise<OperationResult> {
  const orderId =
    typeof payment.brokerData.p24OrderId === 'string' ? Number(payment.brokerData.p24OrderId) : NaN;
  if (!Number.isSafeInteger(orderId)) {
    throw new PaybridgeError(
      'INVALID_STATE',
      'Przelewy24: the payment has no verified transaction to refund',
    );
  }
  const refundsUuid = await refundsUuidOf(request.refundId);
  const urlStatus = refundNotifyUrl(payment, ctx);
  const response = await callP24(ctx, settings, {
    method: 'POST',
    path: '/transaction/refund',
    body: {
      requestId: refundsUuid,
      refundsUuid,
      ...(urlStatus ? { urlStatus } : {}),
      refunds: [
        {
          orderId,
          sessionId: sessionIdOf(payment),
          amount: request.amount,
          description: (request.reason ?? `Refund ${payment.orderId}`).slice(0, 35),
        },
      ],
    },
    kind: 'refund',
    paymentId: payment.id,
  });
  // Any 2xx is accepted (reference §8.1); a retry of a request P24 already took reports "Request already exists".
  const accepted =
    (response.status >= 200 && response.status < 300) ||
    (response.status === 400 && /request already exists/i.test(errorText(response.json)));
  if (!accepted) throw p24Error('refund the transaction', response);
  return {
    facts: [
      refundFact(
        { ...payment, brokerData: { ...payment.brokerData, [refundKey(refundsUuid)]: request.refundId } },
        { orderId, refundsUuid, amount: request.amount, currency: payment.currency, outcome: 'pending' },
      ),
    ],
    brokerData: { [refundKey(refundsUuid)]: request.refundId },
  };
}
