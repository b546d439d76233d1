// Stripe Checkout, confirmed by signed webhooks.
import { stripe } from '@paybridge/backend-stripe';

const env = process.env;

export const stripeBackend = stripe({
  secretKey: env.STRIPE_SECRET_KEY!, // sk_test_… or sk_live_… (or a restricted rk_…)
  webhookSecret: env.STRIPE_WEBHOOK_SECRET!, // whsec_… of the endpoint for <baseUrl>/notify/stripe
});

// Authorize only; capture later with bridge.capture(id, amount?).
export const stripeManualCapture = stripe({
  id: 'stripe-manual',
  secretKey: env.STRIPE_SECRET_KEY!,
  // While rolling the signing secret, list both.
  webhookSecret: [env.STRIPE_WEBHOOK_SECRET_OLD!, env.STRIPE_WEBHOOK_SECRET!],
  captureMethod: 'manual',
});

// Connect, destination charges: the platform keeps a 10 % fee.
export const stripeMarketplace = stripe({
  id: 'stripe-connect',
  secretKey: env.STRIPE_SECRET_KEY!,
  webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
  connect: { mode: 'forward', applicationFee: (payment) => Math.round(payment.amount * 0.1) },
});
