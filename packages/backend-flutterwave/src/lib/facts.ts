import type { Payment, PaymentFact } from '@paybridge/core';
import { fromMajor } from './amounts';
import type { FlutterwaveSettings } from './settings';
import type { FlutterwaveTransaction } from './transactions';

/** brokerData keys this backend writes. */
export const DATA = {
  flwRef: 'flutterwaveFlwRef',
  paymentType: 'flutterwavePaymentType',
  refunds: 'flutterwaveRefunds',
  overpaid: 'flutterwaveOverpaidMinor',
} as const;

/**
 * A VERIFIED transaction (from `/verify` or `/verify_by_reference`, never a webhook body) → facts.
 * Event ids name the transaction and its status, so a duplicate or a late webhook is a no-op.
 * `transactionId` on every fact lets core bind the payment to the transaction that first proved
 * money (DESIGN §6): another transaction naming our tx_ref may add money but never fail ours.
 */
export function transactionFacts(
  transaction: FlutterwaveTransaction,
  payment: Payment,
  settings: FlutterwaveSettings,
): PaymentFact[] {
  const id = transaction.id;
  const base = { transactionId: id };
  switch (transaction.status) {
    case 'successful': {
      const paid = fromMajor(transaction.amount, transaction.currency);
      // `at-least` (Flutterwave's own rule, §5.3 item 4): an overpayment pays the amount asked and the
      // excess is kept in brokerData (to refund); `exact` reports what was paid, so core refuses any difference.
      const excess = overpaid(transaction, payment, settings, paid);
      const amount = excess > 0 ? payment.amount : paid;
      return [
        {
          ...base,
          eventId: `flw:${id}:successful`,
          type: 'captured',
          captureId: id,
          amount,
          currency: transaction.currency,
        },
        {
          ...base,
          eventId: `flw:${id}:data`,
          type: 'broker_data',
          data: {
            ...(transaction.flw_ref ? { [DATA.flwRef]: transaction.flw_ref } : {}),
            ...(transaction.payment_type ? { [DATA.paymentType]: transaction.payment_type } : {}),
            ...(excess > 0 ? { [DATA.overpaid]: excess } : {}),
          },
        },
      ];
    }
    case 'failed':
      return [
        {
          ...base,
          eventId: `flw:${id}:failed`,
          type: 'failed',
          reason: transaction.processor_response || 'Flutterwave: the charge failed',
        },
      ];
    case 'pending':
      return [{ ...base, eventId: `flw:${id}:pending`, type: 'pending', reason: 'Flutterwave: pending' }];
    default:
      // A status this backend does not know yet: nothing is concluded from it.
      return [];
  }
}

/** Minor units paid beyond the amount asked, accepted only under `amountPolicy: 'at-least'`; else 0. */
export function overpaid(
  transaction: FlutterwaveTransaction,
  payment: Payment,
  settings: FlutterwaveSettings,
  paid = fromMajor(transaction.amount, transaction.currency),
): number {
  if (settings.amountPolicy !== 'at-least' || transaction.currency !== payment.currency) return 0;
  return Math.max(0, paid - payment.amount);
}
