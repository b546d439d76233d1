import {
  type BackendContext,
  isPaybridgeError,
  type OperationResult,
  PaybridgeError,
  type Payment,
  type PaymentFact,
  type RefundRequest,
} from '@paybridge/core';
import { callStripe, requestOptions, type StripeCall, stripeClient } from './client';
import { DATA, objectAccount } from './connect';
import { toStripeAmount } from './currency';
import {
  disputeFacts,
  intentFacts,
  moneyOf,
  pulledSubscriptionId,
  refundFacts,
  sessionFacts,
  subscriptionFacts,
} from './facts';
import type { StripeSettings } from './settings';
import {
  disputeSchema,
  paymentIntentSchema,
  refundSchema,
  sessionSchema,
  subscriptionSchema,
} from './stripe-objects';

const str = (value: unknown) => (typeof value === 'string' ? value : null);

function call(payment: Payment, kind: string, idempotencyKey?: string): StripeCall {
  return {
    kind,
    paymentId: payment.id,
    account: objectAccount(payment),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}

function boundIntent(payment: Payment): string {
  const intent = str(payment.brokerData[DATA.paymentIntent]);
  if (!intent) {
    throw new PaybridgeError('INVALID_STATE', `payment ${payment.id} has no Stripe PaymentIntent yet`);
  }
  return intent;
}

/** Capture an authorization (manual capture), all of it or a part (the rest is released). */
export async function captureIntent(
  payment: Payment,
  amount: number,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<OperationResult> {
  const intentId = boundIntent(payment);
  const c = call(payment, 'capture-payment-intent', `pb:${payment.id}:capture:${amount}`);
  const raw = await callStripe('capture the PaymentIntent', async () =>
    (await stripeClient(settings, ctx, c)).paymentIntents.capture(
      intentId,
      { amount_to_capture: toStripeAmount(amount, payment.currency, settings.stripeExponents) },
      requestOptions(c),
    ),
  );
  const intent = paymentIntentSchema().parse(raw);
  return { facts: intentFacts(intent, moneyOf(payment, settings), true, payment.amount) };
}

/**
 * Cancel: an authorization is voided (PaymentIntent cancel); before the buyer paid, the session is
 * expired so a late payment cannot arrive (gotcha 7–8). If Stripe says the session is already
 * complete, its state is pulled instead: money the buyer already gave wins.
 */
export async function cancelPayment(
  payment: Payment,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<OperationResult> {
  const intentId = str(payment.brokerData[DATA.paymentIntent]);
  if (payment.status === 'authorized' && intentId) {
    const c = call(payment, 'cancel-payment-intent', `pb:${payment.id}:cancel`);
    const raw = await callStripe('cancel the PaymentIntent', async () =>
      (await stripeClient(settings, ctx, c)).paymentIntents.cancel(intentId, {}, requestOptions(c)),
    );
    return {
      facts: intentFacts(paymentIntentSchema().parse(raw), moneyOf(payment, settings), true, payment.amount),
    };
  }
  const sessionId = str(payment.brokerData[DATA.session]) ?? payment.externalId;
  if (!sessionId)
    return { facts: [{ type: 'failed', eventId: `${payment.id}:cancelled`, reason: 'cancelled' }] };
  const c = call(payment, 'expire-checkout-session', `pb:${payment.id}:expire`);
  try {
    const raw = await callStripe('expire the Checkout Session', async () =>
      (await stripeClient(settings, ctx, c)).checkout.sessions.expire(sessionId, {}, requestOptions(c)),
    );
    return {
      facts: sessionFacts(
        sessionSchema().parse(raw),
        moneyOf(payment, settings),
        true,
        settings.captureMethod === 'manual',
      ),
    };
  } catch (error) {
    // Only an open session can be expired: a completed one is pulled and reported as it is.
    const facts = await pullStatus(payment, ctx, settings);
    if (facts.some((f) => f.type === 'captured' || f.type === 'authorized' || f.type === 'pending'))
      return { facts };
    throw error;
  }
}

/** The PaymentIntent that paid an invoice (`invoice.payments`, API basil+); `null` when none did. */
async function paidIntentOfInvoice(
  payment: Payment,
  invoiceId: string,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<string | null> {
  const c = call(payment, 'retrieve-invoice');
  const invoice = (await callStripe('retrieve the invoice', async () =>
    (
      await stripeClient(settings, ctx, c)
    ).invoices.retrieve(invoiceId, { expand: ['payments'] }, requestOptions(c)),
  )) as { payments?: { data?: Array<{ status?: string; payment?: { payment_intent?: unknown } }> } };
  const paid = invoice.payments?.data?.find((p) => p.status === 'paid');
  const intent = paid?.payment?.payment_intent;
  const id = typeof intent === 'string' ? intent : (intent as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * The PaymentIntent holding a payment's money: the bound session's, or for a subscription payment
 * (the first invoice, or a renewal's child payment) its invoice's.
 */
async function refundableIntent(
  payment: Payment,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<string> {
  const known = str(payment.brokerData[DATA.paymentIntent]);
  if (known) return known;
  const invoiceId = [payment.externalId, ...payment.captures.map((c) => c.id)].find((id) =>
    id?.startsWith('in_'),
  );
  if (!invoiceId) return boundIntent(payment);
  const id = await paidIntentOfInvoice(payment, invoiceId, ctx, settings);
  if (!id) {
    throw new PaybridgeError(
      'INVALID_STATE',
      `Stripe invoice ${invoiceId} has no paid PaymentIntent to refund`,
    );
  }
  return id;
}

/** The PaymentIntent this payment's refunds are made on; `null` when it has none (nothing paid through one). */
export async function intentOfRefunds(
  payment: Payment,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<string | null> {
  try {
    return await refundableIntent(payment, ctx, settings);
  } catch (error) {
    if (isPaybridgeError(error) && error.code === 'INVALID_STATE') return null;
    throw error;
  }
}

export async function refundIntent(
  payment: Payment,
  request: RefundRequest,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<OperationResult> {
  const intentId = await refundableIntent(payment, ctx, settings);
  const forward = payment.brokerData[DATA.connectMode] === 'forward';
  const remote = payment.brokerData[DATA.connectMode] === 'remote';
  const c = call(payment, 'create-refund', `pb:${payment.id}:refund:${request.refundId}`);
  const raw = await callStripe('refund the payment', async () =>
    (await stripeClient(settings, ctx, c)).refunds.create(
      {
        payment_intent: intentId,
        amount: toStripeAmount(request.amount, payment.currency, settings.stripeExponents),
        metadata: { paybridge_payment_id: payment.id, paybridge_refund_id: request.refundId },
        ...(request.reason ? { reason: 'requested_by_customer' as const } : {}),
        ...(forward && settings.connect.reverseTransferOnRefund ? { reverse_transfer: true } : {}),
        ...((forward || remote) && settings.connect.refundApplicationFee
          ? { refund_application_fee: true }
          : {}),
      },
      requestOptions(c),
    ),
  );
  return { facts: refundFacts(refundSchema().parse(raw), moneyOf(payment, settings), payment) };
}

/**
 * Pull: the bound session, its PaymentIntent and refunds, or its subscription and the refunds of its
 * first invoice. A renewal's child payment is an invoice: the refunds of the intent that paid it (its
 * capture came with `invoice.paid`).
 */
export async function pullStatus(
  payment: Payment,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<PaymentFact[]> {
  const sessionId = str(payment.brokerData[DATA.session]) ?? payment.externalId;
  if (!sessionId) return [];
  const c = call(payment, 'retrieve-checkout-session');
  const client = await stripeClient(settings, ctx, c);
  const money = moneyOf(payment, settings);
  const refundsOf = async (intentId: string | null): Promise<PaymentFact[]> => {
    if (!intentId) return [];
    const refunds = await callStripe('list the refunds', () =>
      client.refunds.list({ payment_intent: intentId, limit: 100 }, requestOptions(c)),
    );
    return refunds.data.flatMap((item) => {
      const refund = refundSchema().safeParse(item);
      return refund.success ? refundFacts(refund.data, money, payment) : [];
    });
  };
  if (sessionId.startsWith('in_')) {
    return refundsOf(await paidIntentOfInvoice(payment, sessionId, ctx, settings));
  }
  const session = sessionSchema().parse(
    await callStripe('retrieve the Checkout Session', () =>
      client.checkout.sessions.retrieve(sessionId, {}, requestOptions(c)),
    ),
  );
  const facts = sessionFacts(session, money, true, settings.captureMethod === 'manual');
  if (session.payment_intent) {
    const intentId = session.payment_intent;
    const raw = await callStripe('retrieve the PaymentIntent', () =>
      client.paymentIntents.retrieve(intentId, { expand: ['latest_charge'] }, requestOptions(c)),
    );
    facts.push(...intentFacts(paymentIntentSchema().parse(raw), money, true, payment.amount));
    facts.push(...(await refundsOf(intentId)));
    // A charge that was disputed (its webhooks lost): the disputes, with the money rules of their webhooks.
    const charge = (raw as { latest_charge?: unknown }).latest_charge;
    if (typeof charge === 'object' && (charge as { disputed?: unknown } | null)?.disputed === true) {
      const disputes = await callStripe('list the disputes', () =>
        client.disputes.list({ payment_intent: intentId, limit: 100 }, requestOptions(c)),
      );
      for (const item of disputes.data) {
        const dispute = disputeSchema().safeParse(item);
        if (dispute.success) facts.push(...disputeFacts(dispute.data, money, 'pull'));
      }
    }
  }
  if (session.mode === 'subscription' && session.invoice) {
    facts.push(...(await refundsOf(await paidIntentOfInvoice(payment, session.invoice, ctx, settings))));
  }
  if (session.subscription) {
    const subscriptionId = session.subscription;
    const subscription = subscriptionSchema().parse(
      await callStripe('retrieve the subscription', () =>
        client.subscriptions.retrieve(subscriptionId, {}, requestOptions(c)),
      ),
    );
    facts.push(...subscriptionFacts(subscription, pulledSubscriptionId(subscription, payment.subscription)));
  }
  return facts;
}

/** Cancel the payment's subscription now (`DELETE /v1/subscriptions/:id`). */
export async function cancelSubscription(
  payment: Payment,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<OperationResult> {
  const subscriptionId = str(payment.brokerData[DATA.subscription]) ?? payment.subscription?.id;
  if (!subscriptionId) {
    throw new PaybridgeError('INVALID_STATE', `payment ${payment.id} has no Stripe subscription`);
  }
  const c = call(payment, 'cancel-subscription');
  const raw = await callStripe('cancel the subscription', async () =>
    (await stripeClient(settings, ctx, c)).subscriptions.cancel(subscriptionId, {}, requestOptions(c)),
  );
  const subscription = subscriptionSchema().parse(raw);
  return { facts: subscriptionFacts(subscription, `${subscription.id}:deleted`) };
}
