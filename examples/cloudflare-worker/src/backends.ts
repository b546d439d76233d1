import { cmcic } from '@paybridge/backend-cmcic';
import { paypal } from '@paybridge/backend-paypal';
import { PAYU_CURRENCIES, payu } from '@paybridge/backend-payu';
import { stripe } from '@paybridge/backend-stripe';
import type { PaymentBackend } from '@paybridge/core';

/** The brokers' settings among the worker's bindings (wrangler `vars` and secrets). */
export interface BrokerEnv {
  PAYPAL_BUSINESS: string;
  PAYPAL_ENDPOINT?: string;
  /** PayU (optional): a POS takes one currency. */
  PAYU_POS_ID?: string;
  PAYU_CLIENT_SECRET?: string;
  PAYU_SECOND_KEY?: string;
  PAYU_CURRENCY?: string;
  PAYU_ENDPOINT?: string;
  CMCIC_TPE: string;
  CMCIC_KEY: string;
  CMCIC_COMPANY: string;
  CMCIC_ENDPOINT?: string;
  /** Stripe (optional): the secret key and the signing secret of the webhook endpoint `/payments/notify/stripe`. */
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_ENDPOINT?: string;
}

function payuBackend(env: BrokerEnv) {
  if (!env.PAYU_POS_ID || !env.PAYU_CLIENT_SECRET || !env.PAYU_SECOND_KEY) return [];
  const currency = PAYU_CURRENCIES.find((code) => code === env.PAYU_CURRENCY);
  if (!currency) throw new Error(`PAYU_CURRENCY must be one of ${PAYU_CURRENCIES.join(', ')}`);
  return [
    payu({
      posId: env.PAYU_POS_ID,
      clientId: env.PAYU_POS_ID,
      clientSecret: env.PAYU_CLIENT_SECRET,
      secondKey: env.PAYU_SECOND_KEY,
      currency,
      ...(env.PAYU_ENDPOINT ? { endpoint: env.PAYU_ENDPOINT } : {}),
    }),
  ];
}

/**
 * Stripe's official client, built by the backend with its fetch HTTP client and SubtleCrypto (the
 * `workerd` export of `stripe`): calls go through the bridge's fetch, webhooks are verified in the
 * worker with Web Crypto.
 */
function stripeBackend(env: BrokerEnv) {
  if (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) return [];
  return [
    stripe({
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      ...(env.STRIPE_ENDPOINT ? { endpoint: env.STRIPE_ENDPOINT } : {}),
    }),
  ];
}

export function backendsFor(env: BrokerEnv): PaymentBackend[] {
  return [
    paypal({
      business: env.PAYPAL_BUSINESS,
      ...(env.PAYPAL_ENDPOINT ? { endpoint: env.PAYPAL_ENDPOINT } : {}),
    }),
    ...payuBackend(env),
    cmcic({
      tpe: env.CMCIC_TPE,
      key: env.CMCIC_KEY,
      company: env.CMCIC_COMPANY,
      ...(env.CMCIC_ENDPOINT ? { endpoint: env.CMCIC_ENDPOINT } : {}),
    }),
    ...stripeBackend(env),
  ];
}
