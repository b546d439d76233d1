import type { SetupInstructions, SetupUrls } from '@paybridge/core';

/** The webhook events this backend acts on: subscribe the webhook to exactly these (§7.3). */
export const RAZORPAY_WEBHOOK_EVENTS = [
  'payment_link.paid',
  'payment_link.partially_paid',
  'payment_link.expired',
  'payment_link.cancelled',
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'order.paid',
  'refund.created',
  'refund.processed',
  'refund.failed',
] as const;

export function razorpaySetupInstructions(
  urls: SetupUrls,
  info: { backendId: string; displayName: string; live: boolean; captureMode: 'auto' | 'manual' },
): SetupInstructions {
  const warnings: string[] = [];
  const base = new URL(urls.baseUrl);
  if (base.protocol !== 'https:') {
    warnings.push(`${urls.baseUrl} is not HTTPS: Razorpay delivers webhooks over TLS 1.2+ on port 443 only.`);
  }
  const host = base.hostname;
  if (
    ['localhost', '127.0.0.1', '[::1]'].includes(host) ||
    host.endsWith('.local') ||
    host.includes('ngrok')
  ) {
    warnings.push(
      `${host} cannot receive Razorpay webhooks (local hosts and tunnels are refused): use the sandbox.`,
    );
  }
  if (base.port && base.port !== '443' && base.port !== '80') {
    warnings.push(`Razorpay calls webhooks on ports 80 and 443 only, not ${base.port}.`);
  }
  if (!info.live) {
    warnings.push(
      'Test key (rzp_test_…): create the webhook in Test mode; live mode needs its own webhook and secret.',
    );
  }
  const events = RAZORPAY_WEBHOOK_EVENTS.join(', ');
  const steps = [
    `Dashboard → Account & Settings → API Keys: generate a key for ${info.live ? 'Live' : 'Test'} mode; put key_id in \`keyId\` and key_secret in \`keySecret\`.`,
    `Dashboard → Account & Settings → Webhooks → Add New Webhook: URL ${urls.notifyUrl}, a secret of your own (not the key secret), events: ${events}.`,
    'Put that webhook secret in `webhookSecret`. While changing it, list the old and the new one: retries of older events stay signed with the old secret.',
    info.captureMode === 'manual'
      ? 'Payment Capture is set to manual: capture authorized payments within the capture timeout (12 minutes to 3 days), or Razorpay refunds them.'
      : 'Payment Capture: keep "automatic" (Razorpay’s default) or set `captureMode: "manual"` to match the account.',
    'Payment Links redirect the buyer to the return URL after a successful payment only; the webhook and a status pull decide the payment.',
  ];
  return {
    backend: info.backendId,
    displayName: info.displayName,
    urls: [
      { label: `Webhook URL (events: ${events})`, url: urls.notifyUrl },
      { label: 'Return URL (sent with each Payment Link as callback_url)', url: urls.returnUrl },
    ],
    steps,
    warnings,
  };
}
