import type { SetupInstructions, SetupUrls } from '@paybridge/core';
import { P24_NOTIFICATION_IPS } from './settings';

/**
 * The P24 panel set-up. Register sends `urlStatus` and `urlReturn` with every transaction, so nothing
 * must be pasted for payments; the refund notification address is sent with every refund too.
 */
export function przelewy24SetupInstructions(
  urls: SetupUrls,
  info: {
    backendId: string;
    displayName: string;
    merchantId: number;
    posId: number;
    testMode: boolean | undefined;
    ipFilter: boolean;
  },
): SetupInstructions {
  const warnings: string[] = [];
  const base = new URL(urls.baseUrl);
  if (base.protocol !== 'https:')
    warnings.push(`${urls.baseUrl} is not HTTPS: P24 posts notifications there; use HTTPS in production.`);
  if (['localhost', '127.0.0.1', '[::1]'].includes(base.hostname) || base.hostname.endsWith('.local')) {
    warnings.push(
      `${base.hostname} is not reachable from Przelewy24: notifications will not arrive (use a tunnel or the sandbox).`,
    );
  }
  if (info.testMode === true) {
    warnings.push(
      'Test mode is ON: transactions go to https://sandbox.przelewy24.pl with the SANDBOX account credentials.',
    );
  }
  if (!info.ipFilter) {
    warnings.push(
      'No notificationIps filter: every notification is still checked by its sign and by the verify call.',
    );
  }
  return {
    backend: info.backendId,
    displayName: info.displayName,
    urls: [
      {
        label: 'Notification URL (sent with each transaction as urlStatus, and with each refund)',
        url: urls.notifyUrl,
      },
      {
        label: 'Return URL (sent as urlReturn; the buyer comes back here after success AND cancel)',
        url: urls.returnUrl,
      },
    ],
    steps: [
      'In the P24 panel open "My data" → "API and configuration data" (sandbox: "My account" → "SANDBOX account" first).',
      `Copy the merchant ID (${info.merchantId} configured), the shop/POS ID (${info.posId} configured), the CRC key and the API key ("klucz do raportów") into the backend settings. The CRC key signs, the API key authenticates: they are two different secrets.`,
      'Check the API credentials: GET /api/v1/testAccess with Basic posId:apiKey answers {"data":true}.',
      'Ask P24 to enable the currencies you sell in other than PLN, and set the `currencies` setting to the same list.',
      `Allow inbound POSTs to the notification URL from ${P24_NOTIFICATION_IPS.join(', ')}.`,
      'Every paid notification is confirmed with PUT /transaction/verify before the payment is recorded: without it P24 does not book the money. Keep `bridge.reconcile()` running so a payment whose notification was lost is verified by the status pull.',
    ],
    warnings,
  };
}
