import type { CheckoutOrder, SubscriptionTerm } from './checkout-request';
import { formatAmount } from './currencies';
import type { FormPairs } from './ipn-encoding';

/** The buyer as PayPal reports them. */
export interface Payer {
  firstName: string;
  lastName: string;
  email: string;
  payerId: string;
}

/** One PayPal transaction (a payment, or a refund/reversal/canceled reversal of one). */
export interface LedgerTransaction {
  txnId: string;
  kind: 'payment' | 'refund' | 'reversal' | 'canceled-reversal';
  status: string;
  pendingReason?: string;
  reasonCode?: string;
  grossMinor: number;
  feeMinor: number;
  refundedMinor: number;
  createdAt: number;
  order: CheckoutOrder;
  payer: Payer;
  parentTxnId?: string;
  subscrId?: string;
}

const optional = (name: string, value: string | undefined): FormPairs =>
  value === undefined ? [] : [[name, value]];

function payerAddress(payer: Payer): FormPairs {
  return [
    ['address_status', 'confirmed'],
    ['address_street', '1 Main St'],
    ['address_zip', '95131'],
    ['address_country_code', 'US'],
    ['address_name', `${payer.firstName} ${payer.lastName}`],
    ['address_country', 'United States'],
    ['address_city', 'San Jose'],
    ['address_state', 'CA'],
  ];
}

/**
 * A payment IPN (`web_accept`, `subscr_payment`) or its follow-ups. Refund, reversal and canceled
 * reversal IPNs carry no `txn_type` in observed dumps (protocol reference §8.2) and point at the
 * original with `parent_txn_id`. `payment_gross`/`payment_fee` are filled for USD only (§5).
 */
export function transactionFields(tx: LedgerTransaction, paymentDate: string): FormPairs {
  const { order, payer } = tx;
  const vars = order.vars;
  const usd = order.currency === 'USD';
  const txnType = tx.kind !== 'payment' ? undefined : tx.subscrId ? 'subscr_payment' : 'web_accept';
  return [
    ['mc_gross', formatAmount(tx.grossMinor, order.currency)],
    ...optional('invoice', vars.invoice),
    ['protection_eligibility', 'Eligible'],
    ['payer_id', payer.payerId],
    ...payerAddress(payer),
    ['payment_date', paymentDate],
    ['payment_status', tx.status],
    ...optional('pending_reason', tx.status === 'Pending' ? tx.pendingReason : undefined),
    ...optional('reason_code', tx.reasonCode),
    ['first_name', payer.firstName],
    ['mc_fee', formatAmount(tx.feeMinor, order.currency)],
    ...optional('custom', vars.custom),
    ['payer_status', 'verified'],
    ['business', (vars.business ?? '').toLowerCase()],
    ...optional('parent_txn_id', tx.parentTxnId),
    ...(tx.kind === 'payment' && !tx.subscrId ? ([['quantity', String(order.quantity)]] as FormPairs) : []),
    ['payer_email', payer.email],
    ['txn_id', tx.txnId],
    ['payment_type', tx.pendingReason === 'echeck' ? 'echeck' : 'instant'],
    ['last_name', payer.lastName],
    ['receiver_email', order.account.business],
    ['payment_fee', usd ? formatAmount(tx.feeMinor, order.currency) : ''],
    ['receiver_id', order.account.receiverId],
    ...optional('txn_type', txnType),
    ...optional('subscr_id', tx.subscrId),
    ['item_name', order.itemName],
    ['mc_currency', order.currency],
    ...optional('item_number', vars.item_number),
    ['residence_country', 'US'],
    ['transaction_subject', vars.custom ?? order.itemName],
    ['payment_gross', usd ? formatAmount(tx.grossMinor, order.currency) : ''],
  ];
}

/** `1 M`, `14 D`: how IPNs write a period. */
export const periodText = (term: SubscriptionTerm): string => `${term.count} ${term.unit}`;

function planFields(order: CheckoutOrder): FormPairs {
  const plan = order.plan;
  if (!plan) return [];
  const pairs: FormPairs = [];
  const terms = [plan.trial1, plan.trial2, plan.regular];
  terms.forEach((term, index) => {
    if (!term) return;
    pairs.push([`period${index + 1}`, periodText(term)]);
    pairs.push([`mc_amount${index + 1}`, formatAmount(term.amountMinor, order.currency)]);
    if (order.currency === 'USD') pairs.push([`amount${index + 1}`, formatAmount(term.amountMinor, 'USD')]);
  });
  pairs.push(['recurring', plan.recurring ? '1' : '0']);
  pairs.push(['reattempt', plan.reattempt ? '1' : '0']);
  if (plan.recurTimes !== undefined) pairs.push(['recur_times', String(plan.recurTimes)]);
  return pairs;
}

export interface SubscriptionNotice {
  txnType: 'subscr_signup' | 'subscr_cancel' | 'subscr_eot' | 'subscr_modify' | 'subscr_failed';
  subscrId: string;
  order: CheckoutOrder;
  payer: Payer;
  /** Formatted PayPal date of the event (`subscr_date`, `subscr_effective`). */
  date: string;
  retryAt?: string;
  failedAmountMinor?: number;
}

/**
 * Subscription lifecycle IPNs, shaped after the sandbox dumps of protocol reference §9: no `txn_id`,
 * no `payment_status`, `receiver_email` but no `receiver_id`, the plan terms echoed.
 */
export function subscriptionFields(notice: SubscriptionNotice): FormPairs {
  const { order, payer } = notice;
  const vars = order.vars;
  const dated: FormPairs =
    notice.txnType === 'subscr_modify'
      ? [['subscr_effective', notice.date]]
      : notice.txnType === 'subscr_eot' || notice.txnType === 'subscr_failed'
        ? []
        : [['subscr_date', notice.date]];
  return [
    ['txn_type', notice.txnType],
    ['subscr_id', notice.subscrId],
    ['last_name', payer.lastName],
    ['residence_country', 'US'],
    ['mc_currency', order.currency],
    ['item_name', order.itemName],
    ['business', (vars.business ?? '').toLowerCase()],
    ...(notice.txnType === 'subscr_eot' || notice.txnType === 'subscr_failed' ? [] : planFields(order)),
    ...optional('retry_at', notice.retryAt),
    ...(notice.failedAmountMinor === undefined
      ? []
      : ([['mc_gross', formatAmount(notice.failedAmountMinor, order.currency)]] as FormPairs)),
    ['payer_status', 'verified'],
    ['payer_email', payer.email],
    ['first_name', payer.firstName],
    ['receiver_email', order.account.business],
    ['payer_id', payer.payerId],
    ...optional('invoice', vars.invoice),
    ...optional('item_number', vars.item_number),
    ...optional('custom', vars.custom),
    ...dated,
  ];
}
