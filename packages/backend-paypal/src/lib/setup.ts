import type { MissingCredentials, SetupInstructions, SetupUrls } from '@paybridge/core';
import type { PaypalSettings } from './settings';

/** What `settings.api` (NVP API credentials, protocols/paypal-api.md) turns on. */
export const MISSING_API_CREDENTIALS: MissingCredentials = {
  setting: 'api',
  message:
    'No PayPal API credentials (settings.api): no status pull (a lost IPN stays unknown, sweepExpired expires without asking PayPal), no refunds from the bridge, no server-side cancel of a subscription',
  operations: ['pull', 'refund', 'partialRefund'],
};

/** What the merchant sets in PayPal's account settings, and what this configuration leaves off. */
export function paypalSetupInstructions(urls: SetupUrls, settings: PaypalSettings): SetupInstructions {
  const warnings: string[] = [];
  if (!settings.api) {
    warnings.push(
      'No API credentials (settings.api: API username, password and signature, Account Settings → API access): ' +
        'status pulls (reconciliation of a lost IPN), refunds from bridge.refund and subscription cancel ' +
        "are off; refunds are made in PayPal's back office and arrive by IPN.",
    );
  }
  if (!settings.receiverId) {
    warnings.push(
      'Set receiverId (your secure merchant account ID, Account Settings → Business information): ' +
        'IPNs are then checked against it rather than against an email.',
    );
  }
  if (settings.testMode === true)
    warnings.push('testMode is on: only sandbox IPNs (test_ipn=1) are accepted.');
  return {
    backend: settings.id,
    displayName: settings.displayName,
    urls: [
      { label: 'IPN notification URL (also sent as notify_url with every payment)', url: urls.notifyUrl },
      { label: 'Return URL (only if you turn Auto Return on)', url: urls.returnUrl },
    ],
    steps: [
      'Account Settings → Notifications → Instant payment notifications: turn IPN on and paste the IPN notification URL.',
      'Account Settings → Website payments → Website preferences: keep "Block non-encrypted website payments" off ' +
        '(paybridge sends plain button forms) and turn "Block accidental payments" on (one payment per invoice).',
      'PayPal button language encoding → More options: choose UTF-8 and "use the same encoding for data sent from ' +
        'PayPal" (windows-1252, the default, also works: the IPN is verified byte for byte).',
      `Check that the business email or merchant ID "${settings.business}" is confirmed, and that receiverEmails lists ` +
        "the account's primary email if it differs.",
      'Hold balances in every currency you sell in, or turn on automatic conversion: otherwise payments stay ' +
        'Pending (multi_currency) until you accept them.',
    ],
    warnings,
  };
}
