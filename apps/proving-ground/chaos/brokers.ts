import { cmcic } from '@paybridge/backend-cmcic';
import { flutterwave } from '@paybridge/backend-flutterwave';
import { paypal } from '@paybridge/backend-paypal';
import { payu } from '@paybridge/backend-payu';
import { przelewy24 } from '@paybridge/backend-przelewy24';
import { razorpay } from '@paybridge/backend-razorpay';
import { stripe } from '@paybridge/backend-stripe';
import type { PaymentBackend } from '@paybridge/core';
import {
  DEFAULT_PAYPAL_API_CREDENTIALS,
  FLUTTERWAVE_SANDBOX_SECRET_HASH,
  FLUTTERWAVE_SANDBOX_SECRET_KEY,
  P24_SANDBOX_MERCHANT,
  RAZORPAY_SANDBOX_KEY_ID,
  RAZORPAY_SANDBOX_KEY_SECRET,
  STRIPE_SANDBOX_SECRET_KEY,
} from '@paybridge/sandbox';

/**
 * Merchant credentials shared by the merchant (the backends) and the sandbox (the brokers). The PayU POS is
 * one of PayU's public test POSes (protocols/payu.md); the CM-CIC key is the kits' documented test key; the
 * PayPal NVP credentials and the Stripe secret key are the sandbox's public test values.
 */
export const PAYU_POS = {
  posId: '300746',
  clientId: '300746',
  clientSecret: '2ee86a66e5d97e3fadc400c9f19b065d',
  secondKey: 'b6ca15b0d1020e8094d9b5f8d163db54',
  currency: 'PLN' as const,
};
export const PAYPAL_ACCOUNT = { business: 'merchant@example.com', receiverId: 'MERCHANT12345' };
const [PAYPAL_SIGNATURE_API] = DEFAULT_PAYPAL_API_CREDENTIALS;
/** The NVP signature credentials ("3-token") the merchant configures: they let it pull PayPal payments. */
export const PAYPAL_API = {
  username: PAYPAL_SIGNATURE_API?.username ?? '',
  password: PAYPAL_SIGNATURE_API?.password ?? '',
  signature: PAYPAL_SIGNATURE_API?.signature ?? '',
};
export const CMCIC_TPE = {
  tpe: '1234567',
  key: '12345678901234567890123456789012345678P0',
  company: 'monSite1',
};
/** The signing secret of the webhook endpoint the merchant registered at Stripe. */
export const STRIPE_WEBHOOK_SECRET = 'whsec_chaos_merchant_endpoint';

/** The Przelewy24 shop the sandbox knows (its public test merchant: id, CRC key, reports key). */
export const P24_MERCHANT = P24_SANDBOX_MERCHANT;

/** The Razorpay account's API keys (the sandbox's public test pair) and the webhook the merchant created. */
export const RAZORPAY_ACCOUNT = {
  keyId: RAZORPAY_SANDBOX_KEY_ID,
  keySecret: RAZORPAY_SANDBOX_KEY_SECRET,
  webhookSecret: 'chaos-razorpay-webhook-secret',
};

/** The Flutterwave account: the sandbox's test secret key and the dashboard's webhook secret hash. */
export const FLUTTERWAVE_ACCOUNT = {
  secretKey: FLUTTERWAVE_SANDBOX_SECRET_KEY,
  secretHash: FLUTTERWAVE_SANDBOX_SECRET_HASH,
};

export type BrokerId = 'payu' | 'paypal' | 'cmcic' | 'stripe' | 'przelewy24' | 'razorpay' | 'flutterwave';
export const BROKERS: readonly BrokerId[] = [
  'payu',
  'paypal',
  'cmcic',
  'stripe',
  'przelewy24',
  'razorpay',
  'flutterwave',
];

/** The backends, pointed at the sandbox's base URL. */
export function chaosBackends(sandboxUrl: string): PaymentBackend[] {
  return [
    payu({ ...PAYU_POS, endpoint: `${sandboxUrl}/payu`, testMode: true }),
    paypal({
      ...PAYPAL_ACCOUNT,
      receiverEmails: [PAYPAL_ACCOUNT.business],
      endpoint: `${sandboxUrl}/paypal`,
      testMode: true,
      postbackTimeoutMs: 2000,
      postbackAttempts: 1,
      api: PAYPAL_API,
    }),
    cmcic({
      tpe: CMCIC_TPE.tpe,
      key: CMCIC_TPE.key,
      company: CMCIC_TPE.company,
      macScheme: 'current',
      endpoint: `${sandboxUrl}/cmcic/test`,
      testMode: true,
    }),
    stripe({
      secretKey: STRIPE_SANDBOX_SECRET_KEY,
      webhookSecret: STRIPE_WEBHOOK_SECRET,
      endpoint: `${sandboxUrl}/stripe`,
      testMode: true,
      // The chaos network fails API calls on purpose: the backend's own retries are not what is tested.
      maxNetworkRetries: 0,
    }),
    przelewy24({
      merchantId: P24_MERCHANT.merchantId,
      posId: P24_MERCHANT.posId,
      crc: P24_MERCHANT.crc,
      apiKey: P24_MERCHANT.apiKey,
      currencies: ['PLN'],
      endpoint: `${sandboxUrl}/przelewy24`,
      testMode: true,
    }),
    razorpay({
      ...RAZORPAY_ACCOUNT,
      currencies: ['INR'],
      endpoint: `${sandboxUrl}/razorpay`,
      testMode: true,
    }),
    flutterwave({
      ...FLUTTERWAVE_ACCOUNT,
      currencies: ['NGN'],
      endpoint: `${sandboxUrl}/flutterwave/v3`,
      testMode: true,
    }),
  ];
}

/** Each broker's currency: PLN for PayU and Przelewy24, INR for Razorpay, NGN for Flutterwave, else EUR. */
const CURRENCIES: Partial<Record<string, string>> = {
  payu: 'PLN',
  przelewy24: 'PLN',
  razorpay: 'INR',
  flutterwave: 'NGN',
};

/** What each order costs, in its broker's currency (amounts never come from the browser). */
export function orderFor(orderId: string) {
  const broker = orderId.split('-')[0] ?? '';
  return {
    amount: broker === 'payu' ? 21000 : 1999,
    currency: CURRENCIES[broker] ?? 'EUR',
    description: `Chaos order ${orderId}`,
    buyer: {
      email: 'buyer@example.com',
      firstName: 'John',
      lastName: 'Doe',
      language: 'en',
      billingAddress: { line1: '18 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' },
    },
    successUrl: 'https://shop.test/thanks',
    failureUrl: 'https://shop.test/sorry',
  };
}
