import type { BackendContext, Payment, PrepareResult } from '@paybridge/core';
import { PaybridgeError } from '@paybridge/core';
import type Stripe from 'stripe';
import { callStripe, requestOptions, stripeClient } from './client';
import { applicationFee, connectedAccount, DATA } from './connect';
import { toStripeAmount } from './currency';
import type { StripeSettings } from './settings';

/** Locales Checkout's hosted page speaks (`locale`). */
const CHECKOUT_LOCALES = new Set(
  'bg cs da de el en en-GB es es-419 et fi fil fr fr-CA hr hu id it ja ko lt lv ms mt nb nl pl pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW'.split(
    ' ',
  ),
);

/** Checkout refuses `expires_at` under 30 minutes or over 24 hours from creation. */
const MIN_LIFETIME_S = 31 * 60;

export const checkoutIdempotencyKey = (payment: Payment) => `pb:${payment.id}:checkout:v1`;

/** Metadata binding a Stripe object to our payment (set on the session and on its intent/subscription). */
export function paymentMetadata(payment: Payment): Record<string, string> {
  return { paybridge_payment_id: payment.id, paybridge_order_id: payment.orderId.slice(0, 500) };
}

function locale(settings: StripeSettings, payment: Payment): string {
  const wanted = payment.buyer.language;
  return wanted && CHECKOUT_LOCALES.has(wanted) ? wanted : settings.locale;
}

/**
 * `expires_at` from the payment's own expiry, computed from its creation time rather than the clock,
 * so a prompt retry sends the same parameters under the same idempotency key (Stripe compares them).
 * Only a prepare that comes late (the window would already be missed) moves it to the clock.
 */
export function expiresAt(settings: StripeSettings, payment: Payment, now: Date): number {
  const created = Math.floor(Date.parse(payment.createdAt) / 1000);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const wanted = payment.expiresAt
    ? Math.floor(Date.parse(payment.expiresAt) / 1000)
    : Number.POSITIVE_INFINITY;
  let at = Math.max(created + MIN_LIFETIME_S, Math.min(wanted, created + settings.sessionLifetimeSeconds));
  if (at < nowSeconds + MIN_LIFETIME_S) at = nowSeconds + MIN_LIFETIME_S;
  return Math.min(at, nowSeconds + settings.sessionLifetimeSeconds);
}

export async function sessionParams(
  settings: StripeSettings,
  payment: Payment,
  ctx: BackendContext,
): Promise<Stripe.Checkout.SessionCreateParams> {
  const currency = payment.currency.toLowerCase();
  const unitAmount = toStripeAmount(payment.amount, payment.currency, settings.stripeExponents);
  const metadata = paymentMetadata(payment);
  const account = connectedAccount(settings, payment);
  const fee = settings.connect.mode === 'local' ? null : await applicationFee(settings, payment);
  const feeAmount = fee === null ? null : toStripeAmount(fee, payment.currency, settings.stripeExponents);
  const recurrence = payment.recurrence;

  const params: Stripe.Checkout.SessionCreateParams = {
    mode: recurrence ? 'subscription' : 'payment',
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency,
          unit_amount: unitAmount,
          product_data: { name: payment.description.slice(0, 250) || payment.orderId },
          ...(recurrence
            ? { recurring: { interval: recurrence.interval, interval_count: recurrence.every } }
            : {}),
        },
      },
    ],
    client_reference_id: payment.id,
    metadata,
    success_url: ctx.returnUrl(payment.id, { result: 'success' }),
    cancel_url: ctx.returnUrl(payment.id, { result: 'cancel' }),
    expires_at: expiresAt(settings, payment, ctx.now()),
    locale: locale(settings, payment) as Stripe.Checkout.SessionCreateParams.Locale,
    ...(payment.buyer.email ? { customer_email: payment.buyer.email } : {}),
    ...(settings.allowedPaymentMethodTypes
      ? {
          allowed_payment_method_types: settings.allowedPaymentMethodTypes as NonNullable<
            Stripe.Checkout.SessionCreateParams['allowed_payment_method_types']
          >,
        }
      : {}),
  };

  if (recurrence) {
    if (recurrence.cycles !== undefined) {
      // Checkout has no "N payments then stop"; ending it is a subscription schedule, not offered here.
      throw new PaybridgeError(
        'BACKEND_UNAVAILABLE',
        'Stripe Checkout subscriptions run until cancelled (no cycle count)',
      );
    }
    params.subscription_data = {
      metadata,
      ...(settings.connect.mode === 'forward' && account ? { transfer_data: { destination: account } } : {}),
      ...(settings.connect.mode === 'forward' && account && settings.connect.onBehalfOf
        ? { on_behalf_of: account }
        : {}),
      // Subscriptions take the fee as a percentage of each invoice (two decimals, Stripe's precision).
      ...(feeAmount !== null
        ? { application_fee_percent: Math.round((feeAmount * 10_000) / unitAmount) / 100 }
        : {}),
    };
  } else {
    params.payment_intent_data = {
      metadata,
      ...(settings.captureMethod === 'manual' ? { capture_method: 'manual' } : {}),
      ...(settings.connect.mode === 'forward' && account
        ? {
            transfer_data: { destination: account },
            transfer_group: `pb-${payment.id}`,
            ...(settings.connect.onBehalfOf ? { on_behalf_of: account } : {}),
          }
        : {}),
      ...(feeAmount !== null ? { application_fee_amount: feeAmount } : {}),
    };
  }
  return params;
}

export async function prepareCheckout(
  payment: Payment,
  ctx: BackendContext,
  settings: StripeSettings,
): Promise<PrepareResult> {
  const params = await sessionParams(settings, payment, ctx);
  const account = connectedAccount(settings, payment);
  const call = {
    kind: 'create-checkout-session',
    paymentId: payment.id,
    idempotencyKey: checkoutIdempotencyKey(payment),
    account: settings.connect.mode === 'remote' ? account : null,
  };
  const session = await callStripe('create the Checkout Session', async () =>
    (await stripeClient(settings, ctx, call)).checkout.sessions.create(params, requestOptions(call)),
  );
  if (
    typeof session.id !== 'string' ||
    typeof session.url !== 'string' ||
    !/^https?:\/\//.test(session.url)
  ) {
    throw new PaybridgeError('BROKER_ERROR', 'Stripe answered a Checkout Session without an id or a URL');
  }
  return {
    redirect: { method: 'GET', url: session.url },
    externalId: session.id,
    brokerData: {
      [DATA.session]: session.id,
      [DATA.connectMode]: settings.connect.mode,
      [DATA.mode]: params.mode,
      ...(account ? { [DATA.account]: account } : {}),
    },
  };
}
