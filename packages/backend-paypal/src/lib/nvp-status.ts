import type { BackendContext, Payment, PaymentFact } from '@paybridge/core';
import { parsePaypalAmount } from './currencies';
import { callNvp, isSuccess, type NvpAnswer, nvpFailure } from './nvp-client';
import { pulledRefunds } from './nvp-refund-pull';
import { checkReceiver, type ReceiverIdentity } from './receiver';
import type { PaypalApiSettings } from './settings';

export interface PullOptions {
  api: PaypalApiSettings;
  url: string;
  receiver: ReceiverIdentity;
}

/** NVP amounts may carry `,` thousands separators (§2). */
const nvpAmount = (value: string | undefined, currency: string) =>
  parsePaypalAmount(value?.replace(/,/g, ''), currency);

/** NVP statuses are hyphenated, IPN's underscored (§2): the event ids must be the IPN's. */
const ipnStatus = (status: string) => status.replace(/-/g, '_');

/** Statuses of a transaction whose money reached the account at some point (the IPN said Completed). */
const MONEY_STATUSES = new Set([
  'Completed',
  'Partially_Refunded',
  'Refunded',
  'Reversed',
  'Canceled_Reversal',
]);
const FAILED_STATUSES = new Set(['Denied', 'Failed', 'Voided', 'Expired']);

/**
 * GetTransactionDetails of one transaction → the facts its IPN would have produced, with the IPN's
 * event ids (`<txn_id>:<payment_status>`), so a pull and an IPN of the same state dedupe. The
 * parent's Refunded/Partially-Refunded/Reversed still proves the money came (the refunds themselves
 * are other transactions, learnt by their IPN or by `bridge.refund`'s answer). The same checks as
 * an IPN: our receiver, our invoice, our currency and amount; a transaction that fails one yields
 * nothing (logged).
 */
export function detailsFacts(
  answer: NvpAnswer,
  payment: Payment,
  receiver: ReceiverIdentity,
  ctx: BackendContext,
): PaymentFact[] {
  const txnId = answer.get('TRANSACTIONID');
  const status = answer.get('PAYMENTSTATUS');
  if (!txnId || !status) return [];
  const refuse = (reason: string) => {
    ctx.logger.warn('paypal: pulled transaction not credited', { paymentId: payment.id, txnId, reason });
    return [];
  };
  const receiverCheck = checkReceiver(receiver, {
    receiver_id: answer.get('RECEIVERID'),
    receiver_email: answer.get('RECEIVEREMAIL'),
    business: answer.get('RECEIVERBUSINESS'),
  });
  if (!receiverCheck.ok) return refuse(receiverCheck.reason);
  // A renewal (child payment) carries its subscription's signup payment as invoice.
  const invoice = answer.get('INVNUM') ?? answer.get('CUSTOM');
  if (invoice !== payment.id && invoice !== payment.parentPaymentId)
    return refuse(`INVNUM ${invoice ?? '(none)'} is not ${payment.id}`);
  const currency = answer.get('CURRENCYCODE');
  if (currency !== payment.currency) return refuse(`CURRENCYCODE ${currency ?? '(none)'}`);
  const amount = nvpAmount(answer.get('AMT'), payment.currency);
  const normalized = ipnStatus(status);
  if (MONEY_STATUSES.has(normalized)) {
    if (amount !== payment.amount) return refuse(`AMT ${answer.get('AMT') ?? '(none)'}`);
    return [
      {
        type: 'captured',
        eventId: `${txnId}:Completed`,
        captureId: txnId,
        amount: payment.amount,
        currency: payment.currency,
      },
    ];
  }
  if (normalized === 'Pending') {
    const reason = answer.get('PENDINGREASON');
    return [{ type: 'pending', eventId: `${txnId}:Pending`, ...(reason ? { reason } : {}) }];
  }
  if (FAILED_STATUSES.has(normalized)) {
    const reasonCode = answer.get('REASONCODE');
    const reason = reasonCode && reasonCode !== 'none' ? `${normalized} (${reasonCode})` : normalized;
    return [{ type: 'failed', eventId: `${txnId}:${normalized}`, reason }];
  }
  // None, In-Progress, Processed: nothing settled yet.
  return [];
}

async function details(txnId: string, payment: Payment, ctx: BackendContext, options: PullOptions) {
  const answer = await callNvp(options.api, ctx, options.url, {
    method: 'GetTransactionDetails',
    fields: { TRANSACTIONID: txnId },
    kind: 'nvp-get-transaction-details',
    paymentId: payment.id,
    what: `look up transaction ${txnId}`,
  });
  if (!isSuccess(answer)) throw nvpFailure(`look up transaction ${txnId}`, answer);
  return answer;
}

/** The payment transactions TransactionSearch lists for our invoice, oldest first (§4). */
async function searchByInvoice(payment: Payment, ctx: BackendContext, options: PullOptions) {
  const since = new Date(Date.parse(payment.createdAt) - options.api.searchLookbackDays * 86_400_000);
  const answer = await callNvp(options.api, ctx, options.url, {
    method: 'TransactionSearch',
    fields: { STARTDATE: since.toISOString().replace(/\.\d{3}Z$/, 'Z'), INVNUM: payment.id },
    kind: 'nvp-transaction-search',
    paymentId: payment.id,
    what: `search the transactions of invoice ${payment.id}`,
  });
  if (!isSuccess(answer)) throw nvpFailure(`search the transactions of invoice ${payment.id}`, answer);
  const hits: Array<{ txnId: string; at: string }> = [];
  for (let i = 0; answer.fields.has(`L_TRANSACTIONID${i}`); i++) {
    const txnId = answer.get(`L_TRANSACTIONID${i}`);
    const type = answer.get(`L_TYPE${i}`) ?? '';
    const amount = nvpAmount(answer.get(`L_AMT${i}`), payment.currency) ?? 0;
    // Refunds and other outgoing entries are not a payment for this invoice.
    if (!txnId || /refund|reversal/i.test(type) || amount <= 0) continue;
    hits.push({ txnId, at: answer.get(`L_TIMESTAMP${i}`) ?? '' });
  }
  if (answer.ack === 'SuccessWithWarning')
    ctx.logger.warn('paypal: TransactionSearch truncated', { paymentId: payment.id, hits: hits.length });
  return hits.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * The status pull (`fetchStatus`). A payment bound to a transaction (its `externalId`): that
 * transaction's details. A payment no IPN ever bound: a search by invoice, then the details of each
 * hit, oldest first; the first that proves money binds (its facts carry `transactionId`, so the core
 * applies the binding rule exactly as for an IPN); without one, the facts of the others are given
 * under their own transaction ids (a stranger's refused checkout cannot fail ours).
 */
export async function pullStatus(
  payment: Payment,
  ctx: BackendContext,
  options: PullOptions,
): Promise<PaymentFact[]> {
  if (payment.externalId) {
    const answer = await details(payment.externalId, payment, ctx, options);
    const facts = detailsFacts(answer, payment, options.receiver, ctx);
    const status = answer.get('PAYMENTSTATUS');
    // The refunds are other transactions: a back-office refund whose IPN never came is found here.
    if (facts.length > 0 && (status === 'Partially-Refunded' || status === 'Refunded'))
      facts.push(...(await pulledRefunds(payment, payment.externalId, ctx, options)));
    return facts;
  }
  // A subscription's money is its renewals (child payments): nothing to search for on the signup payment.
  if (payment.recurrence) return [];
  const facts: PaymentFact[] = [];
  for (const hit of await searchByInvoice(payment, ctx, options)) {
    const found = detailsFacts(
      await details(hit.txnId, payment, ctx, options),
      payment,
      options.receiver,
      ctx,
    );
    const bound = found.map((fact) => ({ ...fact, transactionId: hit.txnId }));
    if (bound.some((fact) => fact.type === 'captured')) return bound;
    facts.push(...bound);
  }
  return facts;
}
