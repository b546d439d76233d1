import type { PaymentBackend } from '@paybridge/core';
import { parseSettings } from '@paybridge/core/kit';
import { handleRazorpayNotification } from './lib/notification';
import { boundLink, cancelLink, capturePayment, pullStatus, refundPayment } from './lib/operations';
import { preparePaymentLink } from './lib/payment-link';
import { handleLinkReturn } from './lib/return';
import { isLiveKey, type RazorpaySettingsInput, razorpaySettingsSchema } from './lib/settings';
import { razorpaySetupInstructions } from './lib/setup';

/** Razorpay has one API host; test or live is the key pair's mode (§1). */
export const RAZORPAY_ENDPOINTS = {
  live: 'https://api.razorpay.com',
  test: 'https://api.razorpay.com',
} as const;

export interface RazorpayOptions extends RazorpaySettingsInput {
  /** Backend id (route `/notify/<id>`); give two accounts two ids. */
  id?: string;
  displayName?: string;
}

/**
 * Razorpay Payment Links: a link per payment (the buyer pays on Razorpay's page), webhooks signed with
 * `X-Razorpay-Signature`, status pull, capture of authorized payments (manual-capture accounts),
 * cancel before payment, full and partial refunds.
 */
export function razorpay(options: RazorpayOptions) {
  const { id = 'razorpay', displayName = 'Razorpay', ...rest } = options;
  const settings = parseSettings(displayName, razorpaySettingsSchema(), rest);
  const live = isLiveKey(settings.keyId);
  return {
    id,
    displayName,
    currencies: settings.currencies,
    amountLimits: Object.entries(settings.minimumAmounts).map(([currency, min]) => ({ currency, min })),
    capabilities: {
      capture: settings.captureMode === 'manual',
      cancel: true,
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: true,
      partialCapture: false,
    },
    testMode: settings.testMode ?? !live,
    endpoints: RAZORPAY_ENDPOINTS,
    endpoint: settings.endpoint?.replace(/\/+$/, ''),
    secrets: [settings.keySecret, ...settings.webhookSecret],

    prepare: (payment, ctx) => preparePaymentLink(payment, ctx, settings),
    handleNotification: (message, ctx) =>
      handleRazorpayNotification(message, ctx, { backendId: id, settings }),
    handleReturn: (message, payment) => handleLinkReturn(message, payment, settings.keySecret),
    fetchStatus: (payment, ctx) => pullStatus(payment, ctx, settings),
    canPull: (payment) => boundLink(payment) !== null,
    capture: (payment, amount, ctx) => capturePayment(payment, amount, ctx, settings),
    cancel: (payment, ctx) => cancelLink(payment, ctx, settings),
    refund: (payment, request, ctx) => refundPayment(payment, request, ctx, settings),
    setupInstructions: (urls) =>
      razorpaySetupInstructions(urls, {
        backendId: id,
        displayName,
        live,
        captureMode: settings.captureMode,
      }),
  } satisfies PaymentBackend;
}
