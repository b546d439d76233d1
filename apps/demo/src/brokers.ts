import type { PaymentBackend } from '@paybridge/core';
import { cmcicBackend } from './brokers/cmcic';
import {
  assertCompleteCredentials,
  type BrokerName,
  type Env,
  realBrokers,
  type WireBroker,
} from './brokers/credentials';
import { flutterwaveBackend } from './brokers/flutterwave';
import { paypalBackend } from './brokers/paypal';
import { payuBackends } from './brokers/payu';
import { przelewy24Backend } from './brokers/przelewy24';
import { razorpayBackend } from './brokers/razorpay';
import { stripeBackend } from './brokers/stripe';
import type { LocalKeys } from './local-keys';

export { DEMO_BILLING_ADDRESS } from './brokers/cmcic';
export { assertCompleteCredentials, type Env, realBrokers } from './brokers/credentials';
export { LOCAL, LOCAL_PAYU_POS_IDS, localRazorpayKeys } from './brokers/local';
export { createLocalSandbox, skippableClock } from './brokers/local-sandbox';

/**
 * Which broker talks to what. Every broker runs against the local sandbox (mounted at
 * `<publicUrl>/sandbox`, accounts in `brokers/local.ts`) unless its real credentials are in the
 * environment; then it runs in test mode against the broker's own public sandbox. Each broker's
 * wiring is in `brokers/<broker>.ts`; the shop offers them in this order.
 */
const BROKERS = {
  paypal: paypalBackend,
  payu: payuBackends,
  cmcic: cmcicBackend,
  stripe: stripeBackend,
  przelewy24: przelewy24Backend,
  razorpay: razorpayBackend,
  flutterwave: flutterwaveBackend,
} satisfies Record<BrokerName, WireBroker>;

export function createBackends(env: Env, publicUrl: string, keys: LocalKeys): PaymentBackend[] {
  assertCompleteCredentials(env);
  const real = realBrokers(env);
  const local = `${publicUrl}/sandbox`;
  return (Object.keys(BROKERS) as BrokerName[]).flatMap((name) =>
    BROKERS[name]({ env, real: real[name], local, keys }),
  );
}
