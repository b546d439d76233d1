import type { SetupInstructions, SetupUrls } from '@paybridge/core';

/**
 * What getpaid's `payu_configuration` command printed, for REST v2.1. REST sends the notification
 * and return URLs with every order (`notifyUrl`, `continueUrl`), so nothing is strictly pasted into
 * the panel; the URLs are shown so the merchant can check that PayU can reach them.
 */
export function payuSetupInstructions(
  urls: SetupUrls,
  info: {
    backendId: string;
    displayName: string;
    posId: string;
    currency: string;
    testMode: boolean | undefined;
  },
): SetupInstructions {
  const warnings: string[] = [];
  const base = new URL(urls.baseUrl);
  if (base.protocol !== 'https:') {
    warnings.push(`${urls.baseUrl} is not HTTPS: use HTTPS in production (PayU posts notifications there).`);
  }
  if (['localhost', '127.0.0.1', '[::1]'].includes(base.hostname) || base.hostname.endsWith('.local')) {
    warnings.push(
      `${base.hostname} is not reachable from PayU: notifications will not arrive (use a tunnel or the sandbox).`,
    );
  }
  if (info.testMode === true) {
    warnings.push('Test mode is ON: orders go to https://secure.snd.payu.com; use sandbox POS credentials.');
  }
  return {
    backend: info.backendId,
    displayName: info.displayName,
    urls: [
      { label: 'Notification URL (sent with each order as notifyUrl)', url: urls.notifyUrl },
      {
        label: 'Return URL (sent with each order as continueUrl; error=501 is appended on failure)',
        url: urls.returnUrl,
      },
    ],
    steps: [
      'In the PayU panel, open "Online payment" → "My shops" → your shop → "Points of sale" and create a POS of type "REST API (Checkout)" (a Classic POS answers 401).',
      `Copy the POS ID (${info.posId} is configured), the second key (MD5), the OAuth client_id and the OAuth client_secret into the backend settings.`,
      'Leave "automatic collection" (auto-receive) ON to have payments captured at once; turn it OFF only to capture or cancel authorizations yourself (WAITING_FOR_CONFIRMATION).',
      `Check that the POS currency in the panel is ${info.currency} (the \`currency\` setting): a POS takes one currency, so sell in another one through another POS and another backend (its own id).`,
      'Allow inbound POSTs to the notification URL from PayU (production 185.68.12.10-12, .26-28; sandbox 185.68.14.10-12, .26-28); the signature is checked in any case.',
    ],
    warnings,
  };
}
