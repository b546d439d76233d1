import type { SandboxClock } from '../lib/clock';
import type { CheckoutOrder } from './checkout-request';
import { formatAmount, parseAmount } from './currencies';
import { newTxnId, paypalDate } from './ids';
import { type LedgerTransaction, type Payer, transactionFields } from './ipn-messages';
import type { IpnSender, SentIpn } from './ipn-sender';

/** PayPal's fee on a payment, in minor units; configurable since real rates vary by country and volume. */
export type FeeFormula = (grossMinor: number, currency: string) => number;

// Fixed part of PayPal's fee in the zero-decimal currencies; 0.49 in the others.
const FIXED_FEE: Record<string, number> = { HUF: 90, JPY: 40, TWD: 10 };

/** PayPal's standard domestic rate when written: 3.49 % + a fixed fee per currency. */
export const defaultFee: FeeFormula = (grossMinor, currency) =>
  Math.round(grossMinor * 0.0349) + (FIXED_FEE[currency] ?? 49);

/** Public view of a transaction for tests. */
export interface PaypalTransactionRecord {
  txnId: string;
  kind: LedgerTransaction['kind'];
  status: string;
  /** Decimal as in IPNs, negative for refunds and reversals. */
  amount: string;
  fee: string;
  currency: string;
  invoice?: string;
  custom?: string;
  subscrId?: string;
  parentTxnId?: string;
  pendingReason?: string;
}

/** Whether a refund gives back the payment's fee in proportion (older accounts) or none of it (current policy). */
export type RefundFeePolicy = 'proportional' | 'none';

export function createLedger(
  clock: SandboxClock,
  sender: IpnSender,
  fee: FeeFormula,
  refundFee: RefundFeePolicy = 'proportional',
) {
  const transactions = new Map<string, LedgerTransaction>();

  function notify(tx: LedgerTransaction): SentIpn | null {
    return sender.send(tx.order.vars.notify_url, transactionFields(tx, paypalDate(clock.now())));
  }

  function get(txnId: string): LedgerTransaction {
    const tx = transactions.get(txnId);
    if (!tx) throw new Error(`No PayPal transaction ${txnId} in the sandbox`);
    return tx;
  }

  function add(tx: Omit<LedgerTransaction, 'txnId' | 'createdAt' | 'refundedMinor'>): LedgerTransaction {
    const full: LedgerTransaction = { ...tx, txnId: newTxnId(), createdAt: clock.now(), refundedMinor: 0 };
    transactions.set(full.txnId, full);
    return full;
  }

  function settlePending(txnId: string, status: 'Completed' | 'Denied' | 'Failed'): SentIpn | null {
    const tx = get(txnId);
    if (tx.status !== 'Pending') throw new Error(`Transaction ${txnId} is ${tx.status}, not Pending`);
    // Same txn_id, new payment_status: listeners dedupe on (txn_id, payment_status) (protocol reference §9).
    tx.status = status;
    return notify(tx);
  }

  function originalOf(txnId: string): LedgerTransaction {
    const tx = get(txnId);
    return tx.kind === 'payment' ? tx : get(tx.parentTxnId ?? '');
  }

  return {
    /** A buyer's payment (web_accept, or subscr_payment when `subscrId` is given). */
    pay(
      order: CheckoutOrder,
      payer: Payer,
      grossMinor: number,
      outcome: { status: 'Completed' | 'Pending'; pendingReason?: string; subscrId?: string },
    ): { tx: LedgerTransaction; ipn: SentIpn | null } {
      const tx = add({
        kind: 'payment',
        status: outcome.status,
        ...(outcome.pendingReason ? { pendingReason: outcome.pendingReason } : {}),
        ...(outcome.subscrId ? { subscrId: outcome.subscrId } : {}),
        grossMinor,
        feeMinor: fee(grossMinor, order.currency),
        order,
        payer,
      });
      return { tx, ipn: notify(tx) };
    },
    completePending: (txnId: string) => settlePending(txnId, 'Completed'),
    denyPending: (txnId: string) => settlePending(txnId, 'Denied'),
    failPending: (txnId: string) => settlePending(txnId, 'Failed'),

    /** Refund (full by default, or `amount` as a decimal): a new txn with negative amounts. */
    refund(txnId: string, amount?: string): { refund: LedgerTransaction; ipn: SentIpn | null } {
      const original = get(txnId);
      if (original.kind !== 'payment' || !['Completed', 'Partially_Refunded'].includes(original.status)) {
        throw new Error(`Transaction ${txnId} (${original.kind}, ${original.status}) cannot be refunded`);
      }
      const currency = original.order.currency;
      const remaining = original.grossMinor - original.refundedMinor;
      const parsed = amount === undefined ? { minor: remaining } : parseAmount(amount, currency);
      if ('error' in parsed) throw new Error(`Refund amount: ${parsed.error}`);
      if (parsed.minor <= 0 || parsed.minor > remaining) {
        throw new Error(
          `Refund of ${amount} exceeds the ${formatAmount(remaining, currency)} still refundable`,
        );
      }
      original.refundedMinor += parsed.minor;
      original.status = original.refundedMinor === original.grossMinor ? 'Refunded' : 'Partially_Refunded';
      const refund = add({
        kind: 'refund',
        status: 'Refunded',
        reasonCode: 'refund',
        grossMinor: -parsed.minor,
        // The fee is returned in proportion to the refunded part, or not at all (reference §5).
        feeMinor:
          refundFee === 'none' ? 0 : -Math.round((original.feeMinor * parsed.minor) / original.grossMinor),
        order: original.order,
        payer: original.payer,
        parentTxnId: original.txnId,
        ...(original.subscrId ? { subscrId: original.subscrId } : {}),
      });
      return { refund, ipn: notify(refund) };
    },

    /** Chargeback: a new txn `Reversed` taking the whole payment back. */
    reverse(txnId: string, reasonCode = 'chargeback'): SentIpn | null {
      const original = get(txnId);
      if (original.kind !== 'payment' || original.status !== 'Completed') {
        throw new Error(`Transaction ${txnId} (${original.kind}, ${original.status}) cannot be reversed`);
      }
      original.status = 'Reversed';
      const reversal = add({
        kind: 'reversal',
        status: 'Reversed',
        reasonCode,
        grossMinor: -original.grossMinor,
        feeMinor: -original.feeMinor,
        order: original.order,
        payer: original.payer,
        parentTxnId: original.txnId,
        ...(original.subscrId ? { subscrId: original.subscrId } : {}),
      });
      return notify(reversal);
    },

    /** The merchant won the dispute: `Canceled_Reversal` of the original (given by its id or the reversal's). */
    cancelReversal(txnId: string): SentIpn | null {
      const original = originalOf(txnId);
      if (original.status !== 'Reversed') throw new Error(`Transaction ${original.txnId} is not reversed`);
      original.status = 'Completed';
      const canceled = add({
        kind: 'canceled-reversal',
        status: 'Canceled_Reversal',
        reasonCode: 'other',
        grossMinor: original.grossMinor,
        feeMinor: original.feeMinor,
        order: original.order,
        payer: original.payer,
        parentTxnId: original.txnId,
        ...(original.subscrId ? { subscrId: original.subscrId } : {}),
      });
      return notify(canceled);
    },

    /** The transaction with this id, as the API sees it (not a copy: read only). */
    find: (txnId: string): LedgerTransaction | undefined => transactions.get(txnId),
    /** Every transaction, oldest first (read only). */
    all: (): LedgerTransaction[] => [...transactions.values()],

    /** A transaction's variables as they stand now (PDT answers with them), or undefined. */
    fields(txnId: string) {
      const tx = transactions.get(txnId);
      return tx ? transactionFields(tx, paypalDate(tx.createdAt)) : undefined;
    },

    list(): PaypalTransactionRecord[] {
      return [...transactions.values()].map((tx) => {
        const vars = tx.order.vars;
        return {
          txnId: tx.txnId,
          kind: tx.kind,
          status: tx.status,
          amount: formatAmount(tx.grossMinor, tx.order.currency),
          fee: formatAmount(tx.feeMinor, tx.order.currency),
          currency: tx.order.currency,
          ...(vars.invoice !== undefined ? { invoice: vars.invoice } : {}),
          ...(vars.custom !== undefined ? { custom: vars.custom } : {}),
          ...(tx.subscrId ? { subscrId: tx.subscrId } : {}),
          ...(tx.parentTxnId ? { parentTxnId: tx.parentTxnId } : {}),
          ...(tx.pendingReason ? { pendingReason: tx.pendingReason } : {}),
        };
      });
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
