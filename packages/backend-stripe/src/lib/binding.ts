import type { BackendContext, Payment, PaymentFact } from '@paybridge/core';
import { callStripe, stripeClient } from './client';
import { DATA, objectAccount } from './connect';
import type { StripeSettings } from './settings';
import { sessionSchema } from './stripe-objects';

/**
 * The binding rule (DESIGN §6): a payment is bound to the Checkout Session it created, and through it
 * to that session's PaymentIntent or Subscription. Anyone able to create sessions on the account (a
 * connected account in remote mode, a leaked restricted key) can name our payment in metadata: such
 * an object is another attempt, which may add money but never fails, cancels or ends the bound one.
 */
export interface Binding {
  bound: boolean;
  /** Remember what the bound session revealed, so the next message needs no lookup. */
  learnt: PaymentFact[];
}

/** The transaction a message about the bound session, intent or subscription is about, for core's binding check. */
export const boundTransaction = (payment: Payment) =>
  (payment.brokerData[DATA.session] as string | undefined) ?? payment.externalId;

export async function bindingOf(
  payment: Payment,
  kind: 'paymentIntent' | 'subscription',
  objectId: string,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<Binding> {
  const key = kind === 'paymentIntent' ? DATA.paymentIntent : DATA.subscription;
  const known = payment.brokerData[key];
  if (typeof known === 'string') return { bound: known === objectId, learnt: [] };
  const sessionId = payment.brokerData[DATA.session] ?? payment.externalId;
  if (typeof sessionId !== 'string') return { bound: false, learnt: [] };
  // Not learnt yet (this message overtook checkout.session.completed): ask the bound session.
  const account = objectAccount(payment);
  const raw = await callStripe('retrieve the Checkout Session', async () =>
    (
      await stripeClient(settings, ctx, {
        kind: 'retrieve-checkout-session',
        paymentId: payment.id,
      })
    ).checkout.sessions.retrieve(sessionId, {}, account ? { stripeAccount: account } : {}),
  );
  const session = sessionSchema().safeParse(raw);
  if (!session.success) return { bound: false, learnt: [] };
  const current = kind === 'paymentIntent' ? session.data.payment_intent : session.data.subscription;
  if (!current) return { bound: false, learnt: [] };
  return {
    bound: current === objectId,
    learnt: [{ type: 'broker_data', eventId: `${session.data.id}:${key}`, data: { [key]: current } }],
  };
}
