import { cmcic } from '@paybridge/backend-cmcic';
import { paypal } from '@paybridge/backend-paypal';
import { payu } from '@paybridge/backend-payu';
import { przelewy24 } from '@paybridge/backend-przelewy24';
import { stripe } from '@paybridge/backend-stripe';
import type { PaymentBackend } from '@paybridge/core';
import {
  DEFAULT_PAYPAL_API_CREDENTIALS,
  P24_SANDBOX_MERCHANT,
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

export type BrokerId = 'payu' | 'paypal' | 'cmcic' | 'stripe' | 'przelewy24';
export const BROKERS: readonly BrokerId[] = ['payu', 'paypal', 'cmcic', 'stripe', 'przelewy24'];

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
  ];
}

/** What each order costs: PayU and Przelewy24 sell in PLN, the others in EUR (never from the browser). */
export function orderFor(orderId: string) {
  const broker = orderId.split('-')[0];
  return {
    amount: broker === 'payu' ? 21000 : 1999,
    currency: broker === 'payu' || broker === 'przelewy24' ? 'PLN' : 'EUR',
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
