import type {
  AckResponse,
  AnomalyCode,
  NotificationContext,
  NotificationOutcome,
  NotificationUpdate,
  Payment,
} from '@paybridge/core';
import { parsePaypalAmount } from './currencies';
import type { IpnMessage } from './ipn-message';
import { checkReceiver, type ReceiverIdentity } from './receiver';

/** PayPal wants a plain 200 for every IPN it should stop re-sending (protocols/paypal.md §6). */
export const IPN_ACK: AckResponse = { status: 200 };

export interface InterpretOptions {
  backendId: string;
  receiver: ReceiverIdentity;
}

export const rejected = (code: AnomalyCode, message: string, paymentId?: string): NotificationOutcome => ({
  verdict: 'rejected',
  code,
  message,
  ...(paymentId ? { paymentId } : {}),
  ack: IPN_ACK,
});

export const verified = (updates: NotificationUpdate[]): NotificationOutcome => ({
  verdict: 'verified',
  updates,
  ack: IPN_ACK,
});

/**
 * Our payment named by `invoice` (our payment id), with `custom` (the same id) as a cross-check.
 * Both come from the buyer's form, so they only choose which payment to check, never prove anything.
 */
export async function paymentByReference(
  ipn: IpnMessage,
  ctx: NotificationContext,
  backendId: string,
): Promise<Payment | string> {
  // Recurring-payments profile messages may name it rp_invoice_id instead (paypal-api.md §8).
  const invoice = ipn.get('invoice') ?? ipn.get('rp_invoice_id');
  const custom = ipn.get('custom');
  if (invoice && custom && invoice !== custom) return `invoice ${invoice} and custom ${custom} disagree`;
  const id = invoice ?? custom;
  if (!id) return 'the message names no invoice';
  const payment = await ctx.getPayment(id);
  if (!payment || payment.backend !== backendId) return `no ${backendId} payment ${id}`;
  return payment;
}

/** Receiver, then currency, then amount (when `amountField` is given): the §11.5/§11.8 checks. */
export function checkMessage(
  ipn: IpnMessage,
  payment: Payment,
  options: InterpretOptions,
  amountField: string | null,
  /**
   * Signed minor units `amountField` must hold exactly, or the sign any amount must have: refunds and
   * reversals carry a negative `mc_gross`, their cancellation a positive one (§9).
   */
  expectedAmount: number | 'negative' | 'positive' = payment.amount,
): NotificationOutcome | null {
  const receiver = checkReceiver(options.receiver, {
    receiver_id: ipn.get('receiver_id'),
    receiver_email: ipn.get('receiver_email'),
    business: ipn.get('business'),
  });
  if (!receiver.ok) return rejected('RECEIVER_MISMATCH', receiver.reason, payment.id);
  if (amountField === null) return null;
  const currency = ipn.get('mc_currency');
  if (currency !== payment.currency) {
    return rejected(
      'CURRENCY_MISMATCH',
      `mc_currency ${currency ?? '(none)'}, payment is in ${payment.currency}`,
      payment.id,
    );
  }
  const amount = parsePaypalAmount(ipn.get(amountField), payment.currency);
  const matches =
    amount !== null &&
    (expectedAmount === 'negative'
      ? amount < 0
      : expectedAmount === 'positive'
        ? amount > 0
        : amount === expectedAmount);
  if (!matches) {
    const expected =
      typeof expectedAmount === 'number' ? `${expectedAmount} minor units` : `a ${expectedAmount} amount`;
    return rejected(
      'AMOUNT_MISMATCH',
      `${amountField} ${ipn.get(amountField) ?? '(none)'} ${currency}, expected ${expected}`,
      payment.id,
    );
  }
  return null;
}
