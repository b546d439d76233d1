import { formatAmount, parseAmount } from './currencies';
import type { Ledger } from './ledger';
import type { NvpContext, NvpOperation } from './nvp-api';
import type { NvpPairs } from './nvp-envelope';
import { NvpRefusal, nvpErrors } from './nvp-errors';
import { requireTransaction } from './nvp-transactions';

/** Refunds are accepted for 180 days after the payment (current docs, reference §5). */
export const REFUND_WINDOW_MS = 180 * 24 * 3600 * 1000;

const invalid = (long: string) => new NvpRefusal([nvpErrors.invalidArgument(long)]);
const refused = (long: string) => new NvpRefusal([nvpErrors.refused(long)]);

/** The refunded amount in minor units, or undefined for the whole remainder; refuses what PayPal refuses. */
function refundAmount(context: NvpContext, currency: string, grossMinor: number, refundedMinor: number) {
  const { fields } = context;
  const type = fields.get('REFUNDTYPE') || 'Full';
  const amountText = fields.get('AMT');
  if (type === 'Full') {
    if (amountText !== undefined && amountText !== '') {
      throw invalid('You can not specify a partial amount with a full refund');
    }
    if (refundedMinor > 0) throw refused('Can not do a full refund after a partial refund');
    return undefined;
  }
  if (type !== 'Partial' && type !== 'Other') {
    throw invalid(
      type === 'ExternalDispute'
        ? 'Refund type ExternalDispute is not simulated by the sandbox'
        : `Refund type ${type.slice(0, 40)} is not valid (Full, Partial, Other)`,
    );
  }
  if (amountText === undefined || amountText === '')
    throw invalid('The partial refund amount must be specified');
  // NVP's CURRENCYCODE defaults to USD (gotcha §10.2): an EUR refund without it is a mismatch.
  if ((fields.get('CURRENCYCODE') || 'USD') !== currency) {
    throw refused('The partial refund must be the same currency as the original transaction');
  }
  const parsed = parseAmount(amountText, currency);
  if ('error' in parsed) throw invalid(`The partial refund amount is not valid: ${parsed.error}`);
  if (parsed.minor <= 0) throw invalid('The partial refund amount must be a positive amount');
  if (parsed.minor > grossMinor) {
    throw refused('The partial refund amount must be less than or equal to the original transaction amount');
  }
  if (parsed.minor > grossMinor - refundedMinor) {
    throw refused('The partial refund amount must be less than or equal to the remaining amount');
  }
  return parsed.minor;
}

/**
 * `RefundTransaction` (reference §5): full or partial, a new refund transaction with its own id, the
 * `Refunded` IPN to the original's notify_url on the sandbox clock (§5.1), and `MSGSUBID` idempotency
 * from VERSION 92: the same MSGSUBID on the same account answers the earlier success again.
 */
export function refundTransaction(ledger: Ledger): NvpOperation {
  const earlier = new Map<string, NvpPairs>();
  return (context) => {
    const msgSubId = context.version >= 92 ? context.fields.get('MSGSUBID') || undefined : undefined;
    if (msgSubId !== undefined && msgSubId.length > 38)
      throw invalid('MSGSUBID is longer than 38 characters');
    const key = msgSubId === undefined ? undefined : `${context.account.business.toLowerCase()} ${msgSubId}`;
    const repeated = key === undefined ? undefined : earlier.get(key);
    if (repeated) return { fields: repeated };
    for (const [name, max] of [
      ['NOTE', 255],
      ['INVOICEID', 127],
    ] as const) {
      if ((context.fields.get(name) ?? '').length > max)
        throw invalid(`${name} is longer than ${max} characters`);
    }
    const original = requireTransaction(ledger, context);
    if (original.kind !== 'payment') throw refused('You can not refund this type of transaction');
    if (original.status === 'Refunded') throw refused('This transaction has already been fully refunded');
    if (original.status !== 'Completed' && original.status !== 'Partially_Refunded') {
      throw refused(`You can not refund this type of transaction (its status is ${original.status})`);
    }
    if (context.now - original.createdAt > REFUND_WINDOW_MS) {
      throw refused('The refund is over the time limit (180 days) for this transaction');
    }
    const currency = original.order.currency;
    const minor = refundAmount(context, currency, original.grossMinor, original.refundedMinor);
    const { refund } = ledger.refund(
      original.txnId,
      minor === undefined ? undefined : formatAmount(minor, currency),
    );
    const money = (value: number) => formatAmount(value, currency);
    const fields: NvpPairs = [
      ['REFUNDTRANSACTIONID', refund.txnId],
      ['FEEREFUNDAMT', money(-refund.feeMinor)],
      ['GROSSREFUNDAMT', money(-refund.grossMinor)],
      ['NETREFUNDAMT', money(-refund.grossMinor + refund.feeMinor)],
      ['CURRENCYCODE', currency],
      ...(context.version >= 67 ? ([['TOTALREFUNDEDAMT', money(original.refundedMinor)]] as NvpPairs) : []),
      ...(context.version >= 84
        ? ([
            ['REFUNDSTATUS', 'instant'],
            ['PENDINGREASON', 'none'],
          ] as NvpPairs)
        : []),
      ...(msgSubId === undefined ? [] : ([['MSGSUBID', msgSubId]] as NvpPairs)),
    ];
    if (key !== undefined) earlier.set(key, fields);
    return { fields };
  };
}
