import { PaybridgeError, type Payment, type PaymentFact } from '@paybridge/core';
import type { StripeSettings } from './settings';

/** brokerData keys this backend writes (flat keys: merges cannot lose them). */
export const DATA = {
  session: 'stripeSession',
  paymentIntent: 'stripePaymentIntent',
  subscription: 'stripeSubscription',
  account: 'stripeAccount',
  connectMode: 'stripeConnectMode',
  mode: 'stripeCheckoutMode',
} as const;

/** The connected account a payment is sold for, from the merchant's callback (forward and remote). */
export function connectedAccount(settings: StripeSettings, payment: Payment): string | null {
  const { connect } = settings;
  if (connect.mode === 'local') return null;
  const chosen = connect.account(payment) ?? connect.defaultAccount ?? null;
  if (chosen === null) {
    throw new PaybridgeError(
      'BACKEND_UNAVAILABLE',
      `Stripe ${connect.mode} mode needs a connected account for payment ${payment.id} (order.stripeAccount)`,
      { details: { paymentId: payment.id, connectMode: connect.mode } },
    );
  }
  if (!/^acct_[A-Za-z0-9]+$/.test(chosen)) {
    throw new PaybridgeError(
      'INVALID_CONFIG',
      `Stripe: "${chosen.slice(0, 40)}" is not a connected account id`,
    );
  }
  return chosen;
}

/** The account a payment's Stripe objects live on: only remote mode sends `Stripe-Account`. */
export function objectAccount(payment: Payment): string | null {
  if (payment.brokerData[DATA.connectMode] !== 'remote') return null;
  const account = payment.brokerData[DATA.account];
  return typeof account === 'string' ? account : null;
}

export async function applicationFee(settings: StripeSettings, payment: Payment): Promise<number | null> {
  const fee = settings.connect.applicationFee ? await settings.connect.applicationFee(payment) : 0;
  if (!Number.isSafeInteger(fee) || fee < 0 || fee >= payment.amount) {
    throw new PaybridgeError(
      'INVALID_CONFIG',
      `Stripe: the application fee for payment ${payment.id} must be an integer between 0 and the amount`,
      { details: { paymentId: payment.id } },
    );
  }
  return fee === 0 ? null : fee;
}

/**
 * A renewal's child payment is sold by the subscription's seller: in remote mode its invoice, intent and
 * refunds live on the seller's account (`Stripe-Account`, Connect events its own); in forward mode its
 * charge is a destination charge (refunds reverse the transfer).
 */
export const sellerOf = (payment: Payment, invoiceId: string): PaymentFact[] => {
  const mode = payment.brokerData[DATA.connectMode];
  const account = payment.brokerData[DATA.account];
  if ((mode !== 'remote' && mode !== 'forward') || typeof account !== 'string') return [];
  const data = { [DATA.connectMode]: mode, [DATA.account]: account };
  return [{ type: 'broker_data', eventId: `${invoiceId}:seller`, data }];
};
