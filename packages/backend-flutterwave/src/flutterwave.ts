import type { PaymentBackend } from '@paybridge/core';
import { parseSettings } from '@paybridge/core/kit';
import { preparePayment } from './lib/checkout';
import { handleFlutterwaveNotification } from './lib/notification';
import { pullStatus, refundTransaction } from './lib/operations';
import {
  type FlutterwaveOptions,
  flutterwaveSettingsSchema,
  isLiveKey,
  offeredCurrencies,
} from './lib/settings';
import { flutterwaveSetupInstructions } from './lib/setup';

/** v3 has one host for test and live; the key decides (§1). */
export const FLUTTERWAVE_ENDPOINTS = {
  live: 'https://api.flutterwave.com/v3',
  test: 'https://api.flutterwave.com/v3',
} as const;

/**
 * Flutterwave Standard (v3): a hosted payment link per payment (`tx_ref` = our payment id), webhooks
 * authenticated by the secret hash and always re-verified by id, status pull by tx_ref, refunds.
 */
export function flutterwave(options: FlutterwaveOptions) {
  const { id = 'flutterwave', displayName = 'Flutterwave', ...rest } = options;
  const settings = parseSettings(displayName, flutterwaveSettingsSchema(), rest);
  const live = isLiveKey(settings.secretKey);
  const testMode = settings.testMode ?? !live;

  return {
    id,
    displayName,
    currencies: offeredCurrencies(settings),
    capabilities: {
      // Pre-authorisation exists only for direct card charges, not the hosted page (§7.1).
      capture: false,
      cancel: false,
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: true,
    },
    testMode,
    endpoints: FLUTTERWAVE_ENDPOINTS,
    endpoint: settings.endpoint?.replace(/\/+$/, ''),
    secrets: [settings.secretKey, ...settings.secretHash],

    prepare: (payment, ctx) => preparePayment(payment, ctx, settings),
    handleNotification: (message, ctx) =>
      handleFlutterwaveNotification(message, ctx, { backendId: id, settings }),
    async handleReturn(message) {
      // The redirect is unsigned (§4): `status` only picks the page; the pull asks Flutterwave by tx_ref.
      const status = new URL(message.url).searchParams.get('status');
      const hint =
        status === 'successful' || status === 'completed' ? 'success' : status ? 'failure' : 'unknown';
      return { hint, pull: true };
    },
    fetchStatus: (payment, ctx) => pullStatus(payment, ctx, settings),
    // Every payment is found by its tx_ref, which is our own id.
    canPull: () => true,
    refund: (payment, request, ctx) => refundTransaction(payment, request, ctx, settings),
    setupInstructions: (urls) =>
      flutterwaveSetupInstructions(urls, { backendId: id, displayName, live, testMode }),
  } satisfies PaymentBackend;
}
