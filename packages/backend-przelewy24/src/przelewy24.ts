import type { PaymentBackend } from '@paybridge/core';
import { parseSettings } from '@paybridge/core/kit';
import { handleP24Notification } from './lib/notification';
import { refundTransaction } from './lib/refunds';
import { type Przelewy24SettingsInput, przelewy24SettingsSchema } from './lib/settings';
import { przelewy24SetupInstructions } from './lib/setup';
import { prepareTransaction, pullStatus } from './lib/transactions';

/** The same paths on both hosts; only the host differs (reference §1). */
export const PRZELEWY24_ENDPOINTS = {
  live: 'https://secure.przelewy24.pl',
  test: 'https://sandbox.przelewy24.pl',
} as const;

export interface Przelewy24Options extends Przelewy24SettingsInput {
  /** Backend id (route `/notify/<id>`); give each P24 shop its own id when you use several. */
  id?: string;
  displayName?: string;
}

/**
 * Przelewy24 REST API v1: transaction register with a redirect to P24's page (BLIK, transfers, cards),
 * signed notifications confirmed by the mandatory verify call, status pull and refunds.
 */
export function przelewy24(options: Przelewy24Options) {
  const { id = 'przelewy24', displayName = 'Przelewy24', ...rest } = options;
  const settings = parseSettings(displayName, przelewy24SettingsSchema(), rest);
  const deps = { backendId: id, settings };

  return {
    id,
    displayName,
    currencies: settings.currencies,
    capabilities: {
      // One-step payments: no authorization to capture or void in the standard flow (reference §7).
      capture: false,
      cancel: false,
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: true,
    },
    testMode: settings.testMode,
    endpoints: PRZELEWY24_ENDPOINTS,
    endpoint: settings.endpoint?.replace(/\/+$/, ''),
    secrets: [settings.crc, settings.apiKey],

    prepare: (payment, ctx) => prepareTransaction(payment, ctx, settings),
    handleNotification: (message, ctx) => handleP24Notification(message, ctx, deps),
    // P24 appends nothing to urlReturn and sends the buyer there after a cancel too (reference §4).
    handleReturn: async () => ({ hint: 'unknown', pull: true }),
    fetchStatus: (payment, ctx) => pullStatus(payment, ctx, settings),
    refund: (payment, request, ctx) => refundTransaction(payment, request, ctx, settings),
    setupInstructions: (urls) =>
      przelewy24SetupInstructions(urls, {
        backendId: id,
        displayName,
        merchantId: settings.merchantId,
        posId: settings.posId,
        testMode: settings.testMode,
        ipFilter: settings.notificationIps !== undefined,
      }),
  } satisfies PaymentBackend;
}
