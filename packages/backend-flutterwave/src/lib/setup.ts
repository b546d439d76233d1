import type { SetupInstructions, SetupUrls } from '@paybridge/core';

/** What to set in Flutterwave's dashboard for this backend (reference §1, §5). */
export function flutterwaveSetupInstructions(
  urls: SetupUrls,
  info: { backendId: string; displayName: string; live: boolean; testMode: boolean },
): SetupInstructions {
  const warnings: string[] = [];
  if (new URL(urls.notifyUrl).protocol !== 'https:') {
    warnings.push('The webhook URL is not https: Flutterwave live webhooks need a public https URL.');
  }
  if (info.live && info.testMode) {
    warnings.push('The secret key is a LIVE key (FLWSECK-…) but the backend runs in test mode.');
  }
  if (!info.live && !info.testMode) {
    warnings.push(
      'The secret key is a TEST key (FLWSECK_TEST-…): no real money moves, whatever testMode says.',
    );
  }
  return {
    backend: info.backendId,
    displayName: info.displayName,
    urls: [{ label: 'Webhook URL (Settings → Webhooks → URL)', url: urls.notifyUrl }],
    steps: [
      `Switch the dashboard to ${info.live ? 'Live' : 'Test'} mode: keys and webhook settings are separate per mode.`,
      'Settings → API Keys: copy the Secret key (FLWSECK…) into `secretKey`; the public and encryption keys are not used.',
      'Settings → Webhooks: paste the webhook URL above.',
      'Same page: type a long random Secret hash and put the same string in `secretHash` (Flutterwave sends it back in the verif-hash header).',
      'Same page: enable "Receive webhook response in JSON format", retries, and webhooks for failed transactions.',
      `The buyer comes back to ${urls.returnUrl} (sent as redirect_url with each payment); nothing to set for it.`,
      'Run `bridge.reconcile()` (or a sweeper) every few minutes: Flutterwave’s retry schedule is not documented and a webhook may be lost.',
    ],
    warnings,
  };
}
