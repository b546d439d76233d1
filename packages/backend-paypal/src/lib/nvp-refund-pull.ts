import type { BackendContext, Payment, PaymentFact } from '@paybridge/core';
import { parsePaypalAmount } from './currencies';
import { ourRefundId } from './facts';
import { callNvp, isSuccess, nvpFailure } from './nvp-client';
import { refundTxnKey } from './nvp-operations';
import type { PullOptions } from './nvp-status';

const nvpAmount = (value: string | undefined, currency: string) =>
  parsePaypalAmount(value?.replace(/,/g, ''), currency);

/**
 * The refunds of the bound transaction, for a parent PayPal shows `Partially-Refunded` or `Refunded`
 * (a back-office refund whose IPN never came): TransactionSearch of the invoice's refunds, then the
 * details of each one not recorded yet, kept only when its PARENTTRANSACTIONID is the bound
 * transaction. Each becomes the fact its IPN would have made (`<refund txn_id>:Refunded`, our refund
 * id when it is one of ours), so the pull and the IPN count it once.
 */
export async function pulledRefunds(
  payment: Payment,
  parentTxnId: string,
  ctx: BackendContext,
  options: PullOptions,
): Promise<PaymentFact[]> {
  const since = new Date(Date.parse(payment.createdAt) - options.api.searchLookbackDays * 86_400_000);
  const what = `search the refunds of invoice ${payment.id}`;
  const search = await callNvp(options.api, ctx, options.url, {
    method: 'TransactionSearch',
    fields: {
      STARTDATE: since.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      INVNUM: payment.id,
      TRANSACTIONCLASS: 'Refund',
    },
    kind: 'nvp-transaction-search',
    paymentId: payment.id,
    what,
  });
  if (!isSuccess(search)) throw nvpFailure(what, search);
  const known = new Set(payment.refunds.map((entry) => entry.id));
  const facts: PaymentFact[] = [];
  for (let i = 0; search.fields.has(`L_TRANSACTIONID${i}`); i++) {
    const refundTxnId = search.get(`L_TRANSACTIONID${i}`);
    if (!refundTxnId || !/refund/i.test(search.get(`L_TYPE${i}`) ?? '')) continue;
    // Recorded already: by its IPN (its own id) or as the answer to our refund (mapped to our id).
    if (known.has(refundTxnId) || typeof payment.brokerData[refundTxnKey(refundTxnId)] === 'string') continue;
    const lookup = `look up refund ${refundTxnId}`;
    const details = await callNvp(options.api, ctx, options.url, {
      method: 'GetTransactionDetails',
      fields: { TRANSACTIONID: refundTxnId },
      kind: 'nvp-get-transaction-details',
      paymentId: payment.id,
      what: lookup,
    });
    if (!isSuccess(details)) throw nvpFailure(lookup, details);
    const amount = Math.abs(nvpAmount(details.get('AMT'), payment.currency) ?? 0);
    if (
      details.get('PARENTTRANSACTIONID') !== parentTxnId ||
      details.get('CURRENCYCODE') !== payment.currency ||
      amount === 0 ||
      details.get('PAYMENTSTATUS') !== 'Refunded'
    ) {
      ctx.logger.warn('paypal: pulled refund not recorded', { paymentId: payment.id, refundTxnId });
      continue;
    }
    const ours = ourRefundId(payment, refundTxnId, amount, ctx.now());
    // Our own refund still in flight: its answer records it.
    if ('retry' in ours) continue;
    if (known.has(ours.refundId)) continue;
    facts.push({
      type: 'refunded',
      eventId: `${refundTxnId}:Refunded`,
      refundId: ours.refundId,
      amount,
      currency: payment.currency,
      transactionId: parentTxnId,
    });
  }
  return facts;
}
