import type { SetupInstructions, SetupUrls } from '@paybridge/core';
import type { ConnectMode } from './settings';

/** The event types this backend acts on: enable exactly these on the webhook endpoint(s). */
export const STRIPE_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'payment_intent.amount_capturable_updated',
  'payment_intent.succeeded',
  'payment_intent.canceled',
  'payment_intent.payment_failed',
  'charge.refunded',
  'refund.created',
  'refund.updated',
  'refund.failed',
  'charge.refund.updated',
  'charge.dispute.created',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;

export function stripeSetupInstructions(
  urls: SetupUrls,
  info: {
    backendId: string;
    displayName: string;
    apiVersion: string;
    connectMode: ConnectMode;
    live: boolean;
  },
): SetupInstructions {
  const warnings: string[] = [];
  const base = new URL(urls.baseUrl);
  if (base.protocol !== 'https:')
    warnings.push(`${urls.baseUrl} is not HTTPS: Stripe delivers live webhooks to HTTPS only.`);
  if (['localhost', '127.0.0.1', '[::1]'].includes(base.hostname) || base.hostname.endsWith('.local')) {
    warnings.push(
      `${base.hostname} is not reachable from Stripe: use \`stripe listen --forward-to ${urls.notifyUrl}\` or the sandbox.`,
    );
  }
  if (!info.live)
    warnings.push(
      'Test mode key: only test-mode events reach this endpoint; live mode needs its own endpoint and secret.',
    );
  const events = STRIPE_EVENT_TYPES.join(', ');
  const steps = [
    `In the Dashboard (Developers → Webhooks → Add endpoint), or with POST /v1/webhook_endpoints, create an endpoint for ${urls.notifyUrl} with api_version ${info.apiVersion} (payloads follow the endpoint's version, not the client's).`,
    `Enable exactly these events: ${events}.`,
    'Copy the endpoint signing secret (whsec_…) into `webhookSecret`. While rolling it, list both the old and the new secret.',
    'Keep the secret key (sk_… or a restricted rk_… with write access to Checkout Sessions, PaymentIntents, Refunds and Subscriptions, and read access to Invoices) in `secretKey`.',
  ];
  if (info.connectMode === 'remote') {
    steps.push(
      `Remote (direct charges): also create a Connect endpoint ("Events on connected accounts", connect=true) for ${urls.notifyUrl} with the same events, and add its own whsec_… to \`webhookSecret\`.`,
    );
  }
  if (info.connectMode === 'forward') {
    steps.push(
      'Forward (destination charges): connected accounts must have the transfers capability; events arrive on the platform endpoint.',
    );
  }
  return {
    backend: info.backendId,
    displayName: info.displayName,
    urls: [
      { label: `Webhook endpoint URL (events: ${events})`, url: urls.notifyUrl },
      { label: 'Return URL (sent with each session as success_url / cancel_url)', url: urls.returnUrl },
    ],
    steps,
    warnings,
  };
}
