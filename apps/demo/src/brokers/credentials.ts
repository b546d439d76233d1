import type { PaymentBackend } from '@paybridge/core';
import type { LocalKeys } from '../local-keys';

export type Env = Record<string, string | undefined>;

/** The variables that together select a broker's real sandbox (documented in the README). */
const REQUIRED = {
  paypal: ['PAYPAL_BUSINESS'],
  payu: ['PAYU_POS_ID', 'PAYU_CLIENT_SECRET', 'PAYU_SECOND_KEY'],
  cmcic: ['CMCIC_TPE', 'CMCIC_KEY', 'CMCIC_COMPANY'],
  stripe: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
  przelewy24: ['P24_MERCHANT_ID', 'P24_CRC', 'P24_API_KEY'],
  razorpay: ['RAZORPAY_KEY_ID', 'RAZORPAY_KEY_SECRET', 'RAZORPAY_WEBHOOK_SECRET'],
  flutterwave: ['FLW_SECRET_KEY', 'FLW_SECRET_HASH'],
} as const;

export type BrokerName = keyof typeof REQUIRED;

/** Which brokers have real credentials in the environment. */
export function realBrokers(env: Env): Record<BrokerName, boolean> {
  const all = (names: readonly string[]) => names.every((name) => Boolean(env[name]));
  return {
    paypal: all(REQUIRED.paypal),
    payu: all(REQUIRED.payu),
    cmcic: all(REQUIRED.cmcic),
    stripe: all(REQUIRED.stripe),
    przelewy24: all(REQUIRED.przelewy24),
    razorpay: all(REQUIRED.razorpay),
    flutterwave: all(REQUIRED.flutterwave),
  };
}

/** A broker given only part of its credentials would silently stay on the local sandbox: refuse it. */
export function assertCompleteCredentials(env: Env): void {
  const problems = Object.values(REQUIRED).flatMap((names) => {
    const missing = names.filter((name) => !env[name]);
    return missing.length > 0 && missing.length < names.length
      ? [`${names.filter((name) => env[name]).join(', ')} set but ${missing.join(', ')} missing`]
      : [];
  });
  if (problems.length > 0) {
    throw new Error(`incomplete broker credentials: ${problems.join('; ')} (see apps/demo/README.md)`);
  }
}

/** What one broker's wiring is given: its real credentials (when `real`), or the local sandbox's. */
export interface BrokerWiring {
  env: Env;
  /** The broker's real credentials are all in `env`: run in test mode against its own sandbox. */
  real: boolean;
  /** The local sandbox's base URL (`<publicUrl>/sandbox`). */
  local: string;
  keys: LocalKeys;
}

/** One broker's backend, or backends (PayU: one per POS currency). */
export type WireBroker = (wiring: BrokerWiring) => PaymentBackend | PaymentBackend[];
