import type { PaymentBackend } from '@paybridge/core';
import { parseSettings } from '@paybridge/core/kit';
import { cmcicKey, cmcicKeyHex } from './lib/key';
import { handleCmcicNotification } from './lib/notification';
import { cancelPayment, capturePayment, type OperationsConfig, refundPayment } from './lib/operations';
import { preparePaymentForm } from './lib/payment-form';
import { type CmcicOptions, cmcicSettingsSchema } from './lib/settings';
import { cmcicSetupInstructions } from './lib/setup';

/** Monetico's payment server; the test platform is the same host with `/test` before the CGI (§1). */
export const CMCIC_ENDPOINTS = {
  live: 'https://p.monetico-services.com',
  test: 'https://p.monetico-services.com/test',
} as const;

/**
 * CM-CIC Paiement / Monetico: the buyer's browser POSTs a sealed form to `paiement.cgi`; the bank
 * confirms every attempt server to server on the return interface registered for the terminal.
 */
export function cmcic(options: CmcicOptions) {
  const { id = 'cmcic', displayName = 'CM-CIC Paiement / Monetico', ...rest } = options;
  const settings = parseSettings(displayName, cmcicSettingsSchema(), rest);
  const keyHex = cmcicKeyHex(settings.key);
  const keyBytes = cmcicKey(settings.key);
  const mode = settings.terminalMode;
  const operations: OperationsConfig = {
    tpe: settings.tpe,
    company: settings.company,
    language: settings.language,
    timeZone: settings.timeZone,
    keyBytes,
    scheme: settings.macScheme,
    mode,
  };
  const notification = {
    tpe: settings.tpe,
    keyBytes,
    macScheme: settings.macScheme,
    authorizeOnly: mode !== 'immediate',
  };

  return {
    id,
    displayName,
    currencies: settings.currencies,
    // Capture and cancel exist only on terminals that authorise first; no status inquiry exists
    // (cmcic-api.md §6), so there is no pull.
    capabilities: {
      capture: mode !== 'immediate',
      cancel: mode !== 'immediate',
      refund: true,
      partialRefund: true,
      recurring: false,
      pull: false,
      partialCapture: mode === 'partial',
    },
    testMode: settings.testMode,
    endpoints: CMCIC_ENDPOINTS,
    endpoint: settings.endpoint,
    secrets: [...new Set([settings.key, keyHex, keyHex.toUpperCase()])],

    // The redirect is computed here (a sealed form or a link): no call to the broker.
    prepareOffline: true,
    prepare: (payment, ctx) => preparePaymentForm(payment, ctx, { displayName, settings, keyBytes }),
    handleNotification: (message, ctx) => handleCmcicNotification(message, ctx, notification),
    capture: (payment, amount, ctx) => capturePayment(payment, amount, ctx, operations),
    cancel: (payment, ctx) => cancelPayment(payment, ctx, operations),
    refund: (payment, request, ctx) => refundPayment(payment, request, ctx, operations),

    // The browser coming back proves nothing: only the return interface (server to server) does.
    async handleReturn(message) {
      const result = new URL(message.url).searchParams.get('result');
      return { hint: result === 'ok' ? 'success' : result === 'err' ? 'failure' : 'unknown' };
    },
    setupInstructions: (urls) => cmcicSetupInstructions(urls, { backendId: id, displayName, settings }),
  } satisfies PaymentBackend;
}
