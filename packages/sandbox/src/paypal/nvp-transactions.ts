import type { PaypalAccount } from './checkout-request';
import { formatAmount } from './currencies';
import type { LedgerTransaction } from './ipn-messages';
import type { Ledger } from './ledger';
import type { NvpContext, NvpOperation } from './nvp-api';
import { type NvpPairs, nvpDate, parseNvpDate } from './nvp-envelope';
import { NvpRefusal, nvpErrors } from './nvp-errors';

/** Most hits TransactionSearch returns; more ⇒ SuccessWithWarning 11002 (reference §4). */
export const SEARCH_LIMIT = 100;

const TXN_ID = /^[A-Za-z0-9]{17,19}$/;

/** NVP writes statuses and pending reasons with hyphens where IPN has underscores (§2). */
export const nvpStatus = (ipnValue: string): string => ipnValue.replace(/_/g, '-');

export const ownedBy = (tx: LedgerTransaction, account: PaypalAccount): boolean =>
  tx.order.account.business.toLowerCase() === account.business.toLowerCase();

/** The transaction named by TRANSACTIONID, when it is well formed and the caller's account owns it. */
export function requireTransaction(ledger: Ledger, context: NvpContext): LedgerTransaction {
  const txnId = context.fields.get('TRANSACTIONID') ?? '';
  if (txnId === '') throw new NvpRefusal([nvpErrors.invalidArgument('Transaction id is missing')]);
  if (!TXN_ID.test(txnId)) throw new NvpRefusal([nvpErrors.invalidTxnId()]);
  const tx = ledger.find(txnId);
  // Another account's transaction is as invisible to these credentials as an unknown one.
  if (!tx || !ownedBy(tx, context.account)) {
    throw new NvpRefusal([nvpErrors.invalidArgument('The transaction id is not valid')]);
  }
  return tx;
}

function transactionType(tx: LedgerTransaction): string {
  if (tx.subscrId) return 'subscrpayment';
  return tx.order.vars.cmd === '_cart' ? 'cart' : 'web-accept';
}

const optional = (name: string, value: string | undefined): NvpPairs =>
  value === undefined || value === '' ? [] : [[name, value]];

/** `GetTransactionDetails` (reference §3): the transaction as it stands now, refund state included. */
export function getTransactionDetails(ledger: Ledger): NvpOperation {
  return (context) => {
    const tx = requireTransaction(ledger, context);
    const { order, payer } = tx;
    const money = (minor: number) => formatAmount(minor, order.currency);
    const quantity = tx.kind === 'payment' && !tx.subscrId ? order.quantity : 1;
    return {
      fields: [
        ['RECEIVEREMAIL', order.account.business],
        ['RECEIVERID', order.account.receiverId],
        ['EMAIL', payer.email],
        ['PAYERID', payer.payerId],
        ['PAYERSTATUS', 'verified'],
        ['COUNTRYCODE', 'US'],
        ['FIRSTNAME', payer.firstName],
        ['LASTNAME', payer.lastName],
        ['TRANSACTIONID', tx.txnId],
        ...optional('PARENTTRANSACTIONID', tx.parentTxnId),
        ['TRANSACTIONTYPE', transactionType(tx)],
        ['PAYMENTTYPE', tx.pendingReason === 'echeck' ? 'echeck' : 'instant'],
        ['ORDERTIME', nvpDate(tx.createdAt)],
        ['AMT', money(tx.grossMinor)],
        ['FEEAMT', money(tx.feeMinor)],
        ['TAXAMT', money(0)],
        ['CURRENCYCODE', order.currency],
        ['PAYMENTSTATUS', nvpStatus(tx.status)],
        ['PENDINGREASON', tx.status === 'Pending' ? nvpStatus(tx.pendingReason ?? 'other') : 'None'],
        ['REASONCODE', tx.reasonCode ? nvpStatus(tx.reasonCode) : 'None'],
        ['PROTECTIONELIGIBILITY', 'Eligible'],
        ...optional('INVNUM', order.vars.invoice),
        ...optional('CUSTOM', order.vars.custom),
        ['SUBJECT', order.vars.custom ?? order.itemName],
        ...optional('SUBSCRIPTIONID', tx.subscrId),
        ['L_NAME0', order.itemName],
        ...optional('L_NUMBER0', order.vars.item_number),
        ['L_QTY0', String(quantity)],
        ['L_AMT0', money(Math.round(tx.grossMinor / quantity))],
      ],
    };
  };
}

const STATUS_FILTER: Record<string, string[]> = {
  Pending: ['Pending'],
  Processing: [],
  Success: ['Completed', 'Partially_Refunded', 'Refunded', 'Canceled_Reversal'],
  Denied: ['Denied', 'Failed'],
  Reversed: ['Reversed'],
};

function searchType(tx: LedgerTransaction): string {
  if (tx.kind === 'refund') return 'Refund';
  if (tx.kind === 'reversal') return 'Reversal';
  if (tx.kind === 'canceled-reversal') return 'Canceled Reversal';
  return tx.subscrId ? 'Recurring Payment' : 'Payment';
}

function searchFilters(context: NvpContext): Array<(tx: LedgerTransaction) => boolean> {
  const { fields } = context;
  const bad = (long: string) => new NvpRefusal([nvpErrors.invalidArgument(long)]);
  const startText = fields.get('STARTDATE') ?? '';
  if (startText === '') throw bad('Start date is missing');
  const start = parseNvpDate(startText);
  if (start === undefined) throw bad('Start date is not a UTC ISO-8601 date (YYYY-MM-DDTHH:MM:SSZ)');
  const endText = fields.get('ENDDATE');
  const end = endText === undefined || endText === '' ? undefined : parseNvpDate(endText);
  if (endText && end === undefined) throw bad('End date is not a UTC ISO-8601 date (YYYY-MM-DDTHH:MM:SSZ)');
  const filters: Array<(tx: LedgerTransaction) => boolean> = [
    (tx) =>
      ownedBy(tx, context.account) && tx.createdAt >= start && (end === undefined || tx.createdAt <= end),
  ];
  const exact = (name: string, value: (tx: LedgerTransaction) => string | undefined) => {
    const wanted = fields.get(name);
    if (wanted !== undefined && wanted !== '') filters.push((tx) => value(tx) === wanted);
  };
  exact('INVNUM', (tx) => tx.order.vars.invoice);
  exact('TRANSACTIONID', (tx) => tx.txnId);
  exact('EMAIL', (tx) => tx.payer.email);
  exact('CURRENCYCODE', (tx) => tx.order.currency);
  exact('AMT', (tx) => formatAmount(Math.abs(tx.grossMinor), tx.order.currency));
  exact('PROFILEID', (tx) => tx.subscrId);
  const status = fields.get('STATUS');
  if (status) {
    const statuses = Object.hasOwn(STATUS_FILTER, status) ? STATUS_FILTER[status] : undefined;
    if (!statuses) throw bad(`STATUS must be one of ${Object.keys(STATUS_FILTER).join(', ')}`);
    filters.push((tx) => statuses.includes(tx.status));
  }
  const classes: Record<string, (tx: LedgerTransaction) => boolean> = {
    All: () => true,
    Received: (tx) => tx.kind === 'payment',
    Sent: () => false,
    Refund: (tx) => tx.kind === 'refund',
    Reversal: (tx) => tx.kind === 'reversal',
    Subscription: (tx) => tx.subscrId !== undefined,
  };
  const transactionClass = fields.get('TRANSACTIONCLASS');
  if (transactionClass) {
    const filter = Object.hasOwn(classes, transactionClass) ? classes[transactionClass] : undefined;
    if (!filter) throw bad(`TRANSACTIONCLASS must be one of ${Object.keys(classes).join(', ')}`);
    filters.push(filter);
  }
  return filters;
}

/**
 * `TransactionSearch` (reference §4): newest first, at most 100 hits. Fees are written as PayPal's
 * activity lists show them, negative for a payment, and `L_NETAMTn` = gross + fee.
 */
export function transactionSearch(ledger: Ledger): NvpOperation {
  return (context) => {
    const filters = searchFilters(context);
    const hits = ledger
      .all()
      .filter((tx) => filters.every((filter) => filter(tx)))
      .sort((a, b) => b.createdAt - a.createdAt);
    const shown = hits.slice(0, SEARCH_LIMIT);
    const fields = shown.flatMap((tx, n): NvpPairs => {
      const money = (minor: number) => formatAmount(minor, tx.order.currency);
      return [
        [`L_TIMESTAMP${n}`, nvpDate(tx.createdAt)],
        [`L_TIMEZONE${n}`, 'GMT'],
        [`L_TYPE${n}`, searchType(tx)],
        [`L_EMAIL${n}`, tx.payer.email],
        [`L_NAME${n}`, `${tx.payer.firstName} ${tx.payer.lastName}`],
        [`L_TRANSACTIONID${n}`, tx.txnId],
        [`L_STATUS${n}`, nvpStatus(tx.status)],
        [`L_AMT${n}`, money(tx.grossMinor)],
        [`L_FEEAMT${n}`, money(-tx.feeMinor)],
        [`L_NETAMT${n}`, money(tx.grossMinor - tx.feeMinor)],
        [`L_CURRENCYCODE${n}`, tx.order.currency],
      ];
    });
    return { fields, warnings: hits.length > SEARCH_LIMIT ? [nvpErrors.truncated()] : [] };
  };
}
