// Razorpay Payment Links, confirmed by signed webhooks.
import { razorpay } from '@paybridge/backend-razorpay';

const env = process.env;

export const razorpayBackend = razorpay({
  keyId: env.RAZORPAY_KEY_ID!, // rzp_test_… or rzp_live_…: the mode follows it
  keySecret: env.RAZORPAY_KEY_SECRET!,
  webhookSecret: env.RAZORPAY_WEBHOOK_SECRET!, // the webhook's own secret, not the key secret
});

// Against the local simulator, with its public test key.
export const razorpayOnSandbox = razorpay({
  keyId: 'rzp_test_PaybridgeSandbox1',
  keySecret: 'paybridgeSandboxKeySecret0001',
  webhookSecret: 'whsec-of-your-choice-for-the-sandbox',
  endpoint: 'http://127.0.0.1:4000/razorpay',
});
