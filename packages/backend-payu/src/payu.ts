import type { PaymentBackend } from '@paybridge/core';
import { parseSettings } from '@paybridge/core/kit';
import { createPayuClient } from './lib/api-client';
import { handlePayuNotification } from './lib/notification';
import { cancelOrder, captureOrder, refundOrder } from './lib/order-operations';
import { fetchOrderStatus, prepareOrder } from './lib/orders';
import { type PayuOptions, payuSettingsSchema } from './lib/settings';
import { payuSetupInstructions } from './lib/setup';

export const PAYU_ENDPOINTS = {
  live: 'https://secure.payu.com',
  test: 'https://secure.snd.payu.com',
} as const;

/**
 * PayU REST API v2.1: OAuth, orders with a redirect to PayU's hosted page, signed notifications,
 * capture, cancel, refunds and status pull.
 */
export function payu(options: PayuOptions) {
  const { id = 'payu', displayName = 'PayU', ...rest } = options;
  const settings = parseSettings(displayName, payuSettingsSchema(), rest);
  // Live array: the OAuth client appends every token it gets, so the bridge redacts tokens too. The
  // form-encoded client secret is listed as well, since that is how it travels in the OAuth body.
  const secrets: string[] = [settings.secondKey, settings.clientSecret];
  const formEncoded = new URLSearchParams({ s: settings.clientSecret }).toString().slice(2);
  if (formEncoded !== settings.clientSecret) secrets.push(formEncoded);
  const client = createPayuClient(settings, secrets);
  const deps = { settings, client };

  return {
    id,
    displayName,
    currencies: [settings.currency],
    capabilities: {
      capture: true,
      cancel: true,
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: true,
      partialCapture: false,
    },
    testMode: settings.testMode,
    endpoints: PAYU_ENDPOINTS,
    endpoint: settings.endpoint?.replace(/\/+$/, ''),
    secrets,

    prepare: (payment, ctx) => prepareOrder(payment, ctx, deps),
    handleNotification: (message, ctx) =>
      handlePayuNotification(message, ctx, { backendId: id, settings, client }),
    async handleReturn(message) {
      // PayU appends error=501 to continueUrl when the payment was not authorized (§4.6). The
      // return is never proof of payment: without the error, pull the order to learn its status.
      const failed = new URL(message.url).searchParams.has('error');
      return failed ? { hint: 'failure' } : { hint: 'unknown', pull: true };
    },
    fetchStatus: (payment, ctx) => fetchOrderStatus(payment, ctx, deps),
    // GET /orders/{id} needs PayU's orderId; no lookup by extOrderId is documented (§5.1). A payment
    // without one (its order creation never answered) is learnt from its notification instead.
    canPull: (payment) => payment.externalId !== null && payment.externalId !== '',
    capture: (payment, amount, ctx) => captureOrder(payment, amount, ctx, deps),
    cancel: (payment, ctx) => cancelOrder(payment, ctx, deps),
    refund: (payment, request, ctx) => refundOrder(payment, request, ctx, deps),
    setupInstructions: (urls) =>
      payuSetupInstructions(urls, {
        backendId: id,
        displayName,
        posId: settings.posId,
        currency: settings.currency,
        testMode: settings.testMode,
      }),
  } satisfies PaymentBackend;
}
