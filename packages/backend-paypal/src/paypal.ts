import type { BackendContext, Payment, PaymentBackend } from '@paybridge/core';
import { parseSettings, standaloneContext } from '@paybridge/core/kit';
import { CANCEL_PARAM, prepareCheckout } from './lib/checkout-form';
import { PAYPAL_DEFAULT_CURRENCIES } from './lib/currencies';
import { handlePaypalNotification } from './lib/notification';
import { nvpAccess } from './lib/nvp-client';
import { cancelProfile, refundTransaction } from './lib/nvp-operations';
import { pullStatus } from './lib/nvp-status';
import { receiverIdentity } from './lib/receiver';
import { type PaypalOptions, paypalSettingsSchema } from './lib/settings';
import { MISSING_API_CREDENTIALS, paypalSetupInstructions } from './lib/setup';

/** The checkout hosts; the form target and the postback path below them is always `/cgi-bin/webscr` (§1). */
export const PAYPAL_ENDPOINTS = {
  live: 'https://www.paypal.com',
  test: 'https://www.sandbox.paypal.com',
} as const;

/**
 * PayPal Payments Standard: Buy Now (`_xclick`) and Subscribe (`_xclick-subscriptions`) buttons,
 * confirmed by IPN verified with a byte-exact postback. Written from protocols/paypal.md.
 *
 * @example
 * paypal({ business: 'shop@example.com', receiverId: 'ABCDEFGHIJKLM' })
 */
export function paypal(options: PaypalOptions) {
  const settings = parseSettings('PayPal', paypalSettingsSchema(), options);
  const { id, displayName, api } = settings;
  const receiver = receiverIdentity(settings);
  const currencies = settings.currencies ?? [...PAYPAL_DEFAULT_CURRENCIES];

  const backend = {
    id,
    displayName,
    currencies,
    capabilities: {
      // Without API credentials refunds are made in PayPal's back office and arrive as IPNs.
      capture: false,
      cancel: false,
      refund: Boolean(api),
      partialRefund: Boolean(api),
      recurring: true,
      pull: Boolean(api),
    },
    // Without API credentials the bridge cannot ask PayPal anything: availableBackends says so.
    ...(api ? {} : { missingCredentials: [MISSING_API_CREDENTIALS] }),
    ...(settings.testMode === undefined ? {} : { testMode: settings.testMode }),
    endpoints: PAYPAL_ENDPOINTS,
    ...(settings.endpoint ? { endpoint: settings.endpoint.replace(/\/+$/, '') } : {}),
    // Standard buttons and IPN postbacks use no credentials; the API's password and signature are secret.
    secrets: api ? [api.password, ...(api.signature ? [api.signature] : [])] : [],

    // The redirect is computed here (a sealed form or a link): no call to the broker.
    prepareOffline: true,
    prepare: (payment, ctx) => prepareCheckout(payment, ctx, settings, currencies),
    handleNotification: (message, ctx) => handlePaypalNotification(message, ctx, { settings, receiver }),
    async handleReturn(message, _payment, _ctx) {
      // rm=2 posts the payment's variables back through the browser: unauthenticated, never a fact (§4).
      const cancelled = new URL(message.url).searchParams.has(CANCEL_PARAM);
      return { hint: cancelled ? 'failure' : 'unknown' };
    },
    // A subscription's signup payment has no transaction of its own to look up (its money is the renewals).
    canPull: (payment) => Boolean(api) && (payment.externalId !== null || !payment.recurrence),
    async fetchStatus(payment, ctx) {
      return pullStatus(payment, ctx, { ...nvpAccess(settings, ctx), receiver });
    },
    async refund(payment, request, ctx) {
      const access = nvpAccess(settings, ctx);
      return refundTransaction(payment, request, ctx, access.api, access.url);
    },
    setupInstructions: (urls) => paypalSetupInstructions(urls, settings),
  } satisfies PaymentBackend;

  return {
    ...backend,
    /**
     * Cancel the payment's PayPal subscription now (ManageRecurringPaymentsProfileStatus; the bridge
     * has no subscription operation). Needs API credentials and an `I-` profile; the cancellation IPN
     * records it on the payment. Pass `ctx` (fetch, testMode) to route the call through your own transport.
     */
    cancelSubscription: async (payment: Payment, ctx?: Partial<BackendContext>, note?: string) => {
      const context = standaloneContext(backend, ctx);
      const access = nvpAccess(settings, context);
      return cancelProfile(payment, context, access.api, access.url, note);
    },
  };
}
