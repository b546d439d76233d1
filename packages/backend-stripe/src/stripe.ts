import type { BackendContext, Payment, PaymentBackend } from '@paybridge/core';
import { parseSettings, standaloneContext } from '@paybridge/core/kit';
import { prepareCheckout } from './lib/checkout';
import { handleStripeNotification } from './lib/notification';
import { cancelPayment, cancelSubscription, captureIntent, pullStatus, refundIntent } from './lib/operations';
import { isLiveKey, type StripeOptions, stripeSettingsSchema } from './lib/settings';
import { stripeSetupInstructions } from './lib/setup';

/** Stripe has one API host; test or live is the key's mode (§1.1). */
export const STRIPE_ENDPOINTS = { live: 'https://api.stripe.com', test: 'https://api.stripe.com' } as const;

/**
 * Stripe Checkout: a Checkout Session per payment (one-off or subscription), signed webhooks, manual
 * capture, cancel, refunds, status pull, and Connect's local / forward / remote modes.
 */
export function stripe(options: StripeOptions) {
  const { id = 'stripe', displayName = 'Stripe', ...rest } = options;
  const settings = parseSettings(displayName, stripeSettingsSchema(), rest);
  const secrets = [settings.secretKey, ...settings.webhookSecret];

  const backend = {
    id,
    displayName,
    currencies: settings.currencies ?? null,
    capabilities: {
      capture: settings.captureMethod === 'manual',
      cancel: true,
      refund: true,
      partialRefund: true,
      recurring: true,
      pull: true,
      partialCapture: settings.captureMethod === 'manual',
    },
    testMode: settings.testMode ?? !isLiveKey(settings.secretKey),
    endpoints: STRIPE_ENDPOINTS,
    endpoint: settings.endpoint?.replace(/\/+$/, ''),
    secrets,

    prepare: (payment, ctx) => prepareCheckout(payment, ctx, settings),
    handleNotification: (message, ctx) => handleStripeNotification(message, ctx, { backendId: id, settings }),
    async handleReturn(message) {
      // The return is never proof of payment: the hint only picks the page; the pull asks Stripe.
      const result = new URL(message.url).searchParams.get('result');
      return { hint: result === 'cancel' ? 'failure' : 'unknown', pull: true };
    },
    fetchStatus: (payment, ctx) => pullStatus(payment, ctx, settings),
    capture: (payment, amount, ctx) => captureIntent(payment, amount, ctx, settings),
    cancel: (payment, ctx) => cancelPayment(payment, ctx, settings),
    refund: (payment, request, ctx) => refundIntent(payment, request, ctx, settings),
    setupInstructions: (urls) =>
      stripeSetupInstructions(urls, {
        backendId: id,
        displayName,
        apiVersion: settings.apiVersion,
        connectMode: settings.connect.mode,
        live: isLiveKey(settings.secretKey),
      }),
  } satisfies PaymentBackend;
  return {
    ...backend,
    /**
     * Cancel the payment's Stripe subscription now (`DELETE /v1/subscriptions/:id`; the bridge has no
     * subscription operation). The `customer.subscription.deleted` webhook records it on the payment.
     */
    cancelSubscription: (payment: Payment, ctx?: Partial<BackendContext>) =>
      cancelSubscription(payment, standaloneContext(backend, ctx), settings),
  };
}
