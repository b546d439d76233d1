import { createHmac } from 'node:crypto';
import { cmcic } from '@paybridge/backend-cmcic';
import { flutterwave } from '@paybridge/backend-flutterwave';
import { paypal } from '@paybridge/backend-paypal';
import { PAYU_CURRENCIES, payu } from '@paybridge/backend-payu';
import { przelewy24 } from '@paybridge/backend-przelewy24';
import { razorpay } from '@paybridge/backend-razorpay';
import { stripe } from '@paybridge/backend-stripe';
import type { Payment, PaymentBackend } from '@paybridge/core';
import { createSandbox, type Sandbox, type SandboxClock } from '@paybridge/sandbox';
import type { LocalKeys } from './local-keys';

/**
 * Which broker talks to what. Every broker runs against the local sandbox (mounted at
 * `<publicUrl>/sandbox`) unless its real credentials are in the environment; then it runs in test
 * mode against the broker's own public sandbox. Below are the sandbox's made-up accounts; their keys
 * are never here but in `LocalKeys` (generated per data directory, see `local-keys.ts`).
 */
export const LOCAL = {
  paypal: { business: 'merchant@example.com', receiverId: 'MERCHANT12345' },
  // A PayU POS takes one currency, so the shop has one backend per currency it sells in with PayU.
  payu: [
    { id: 'payu', currency: 'PLN' as PayuCurrency, posId: '300746' },
    { id: 'payu-eur', currency: 'EUR' as PayuCurrency, posId: '400100' },
    { id: 'payu-usd', currency: 'USD' as PayuCurrency, posId: '400200' },
  ],
  cmcic: { tpe: '1234567', company: 'monSite1' },
  // The currencies the shop sells in with Stripe (the catalogue's EUR, USD and JPY products).
  stripe: { currencies: ['EUR', 'USD', 'JPY'] },
  // Przelewy24 (BLIK) for the złoty products.
  przelewy24: { merchantId: 100200, currencies: ['PLN'] },
  // Razorpay takes the catalogue's INR product; the key id is made up, its secrets are derived below.
  razorpay: { keyId: 'rzp_test_PaybridgeDemo1' },
  // Flutterwave for the naira, shilling and cedi products.
  flutterwave: { currencies: ['NGN', 'KES', 'GHS'] },
} as const;

/**
 * The local Razorpay account's key secret and webhook secret, derived from this data directory's
 * random button secret (so they differ per installation without a new entry in the keys file).
 */
export function localRazorpayKeys(keys: LocalKeys) {
  const derive = (purpose: string) => createHmac('sha256', keys.buttonSecret).update(purpose).digest('hex');
  return {
    keyId: LOCAL.razorpay.keyId,
    keySecret: derive('razorpay key secret'),
    webhookSecret: derive('razorpay webhook secret'),
  };
}

export const LOCAL_PAYU_POS_IDS = LOCAL.payu.map((pos) => pos.posId);

/** A local POS with its keys. */
function localPos(pos: (typeof LOCAL.payu)[number], keys: LocalKeys) {
  const secrets = keys.payu[pos.posId];
  if (!secrets) throw new Error(`no local sandbox keys for PayU POS ${pos.posId}`);
  return { ...pos, clientId: pos.posId, ...secrets };
}

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

/** Which brokers have real credentials in the environment. */
export function realBrokers(env: Env) {
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

/** Where the demo's buyer is billed (there are no accounts: one address for every browser). */
export const DEMO_BILLING_ADDRESS = {
  line1: '18 rue de la Paix',
  city: 'Paris',
  postalCode: '75002',
  country: 'FR',
};

/**
 * CM-CIC's `contexte_commande` (current scheme): the bank requires the billing address. A signed
 * button carries only the buyer's e-mail and language, so the demo adds the buyer's address here.
 */
function demoOrderContext(payment: Payment): Record<string, unknown> {
  const address = payment.buyer.billingAddress ?? DEMO_BILLING_ADDRESS;
  const { email, firstName, lastName } = payment.buyer;
  return {
    billing: {
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
      ...(email ? { email } : {}),
      addressLine1: address.line1,
      city: address.city,
      postalCode: address.postalCode,
      country: address.country,
    },
  };
}

/** CM-CIC's express-payment alias must be `[A-Za-z0-9]{1,64}`: derived from the buyer's email here. */
const aliasOf = (email: string | undefined) =>
  (email ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 64) || null;

export function createBackends(env: Env, publicUrl: string, keys: LocalKeys): PaymentBackend[] {
  assertCompleteCredentials(env);
  const real = realBrokers(env);
  const local = `${publicUrl}/sandbox`;
  const backends: PaymentBackend[] = [];

  backends.push(
    real.paypal
      ? paypal({
          business: env.PAYPAL_BUSINESS as string,
          ...(env.PAYPAL_RECEIVER_ID ? { receiverId: env.PAYPAL_RECEIVER_ID } : {}),
          ...(env.PAYPAL_RECEIVER_EMAIL ? { receiverEmails: [env.PAYPAL_RECEIVER_EMAIL] } : {}),
        })
      : paypal({ ...LOCAL.paypal, receiverEmails: [LOCAL.paypal.business], endpoint: `${local}/paypal` }),
  );

  if (real.payu) {
    backends.push(
      payu({
        posId: env.PAYU_POS_ID as string,
        clientId: env.PAYU_CLIENT_ID ?? (env.PAYU_POS_ID as string),
        clientSecret: env.PAYU_CLIENT_SECRET as string,
        secondKey: env.PAYU_SECOND_KEY as string,
        currency: payuCurrency(env.PAYU_CURRENCY ?? 'PLN'),
      }),
    );
  } else {
    for (const pos of LOCAL.payu.map((p) => localPos(p, keys))) {
      backends.push(
        payu({
          id: pos.id,
          displayName: 'PayU',
          posId: pos.posId,
          clientId: pos.clientId,
          clientSecret: pos.clientSecret,
          secondKey: pos.secondKey,
          currency: pos.currency,
          endpoint: `${local}/payu`,
          // Under `app.request` (tests) there is no TCP peer; PayU refuses orders without a buyer IP.
          fallbackCustomerIp: '127.0.0.1',
        }),
      );
    }
  }

  backends.push(
    real.cmcic
      ? cmcic({
          tpe: env.CMCIC_TPE as string,
          key: env.CMCIC_KEY as string,
          company: env.CMCIC_COMPANY as string,
          macScheme: env.CMCIC_MAC_SCHEME === 'legacy' ? 'legacy' : 'current',
          ...(env.CMCIC_ENDPOINT ? { endpoint: env.CMCIC_ENDPOINT } : {}),
          alias: (payment) => aliasOf(payment.buyer.email),
          orderContext: demoOrderContext,
        })
      : cmcic({
          ...LOCAL.cmcic,
          key: keys.cmcic,
          macScheme: 'current',
          language: 'EN',
          endpoint: `${local}/cmcic/test`,
          alias: (payment) => aliasOf(payment.buyer.email),
          orderContext: demoOrderContext,
        }),
  );

  backends.push(
    stripe({
      currencies: [...LOCAL.stripe.currencies],
      ...(real.stripe
        ? { secretKey: env.STRIPE_SECRET_KEY as string, webhookSecret: env.STRIPE_WEBHOOK_SECRET as string }
        : { ...keys.stripe, endpoint: `${local}/stripe` }),
    }),
  );

  backends.push(
    przelewy24({
      currencies: [...LOCAL.przelewy24.currencies],
      ...(real.przelewy24
        ? {
            merchantId: env.P24_MERCHANT_ID as string,
            ...(env.P24_POS_ID ? { posId: env.P24_POS_ID } : {}),
            crc: env.P24_CRC as string,
            apiKey: env.P24_API_KEY as string,
            testMode: true,
          }
        : { merchantId: LOCAL.przelewy24.merchantId, ...keys.przelewy24, endpoint: `${local}/przelewy24` }),
    }),
    razorpay(
      real.razorpay
        ? {
            keyId: env.RAZORPAY_KEY_ID as string,
            keySecret: env.RAZORPAY_KEY_SECRET as string,
            webhookSecret: env.RAZORPAY_WEBHOOK_SECRET as string,
          }
        : { ...localRazorpayKeys(keys), endpoint: `${local}/razorpay` },
    ),
  );
  backends.push(
    flutterwave({
      currencies: [...LOCAL.flutterwave.currencies],
      // A signed button may carry no e-mail; Flutterwave requires one.
      defaultCustomerEmail: 'buyer@demo.paybridge.test',
      ...(real.flutterwave
        ? { secretKey: env.FLW_SECRET_KEY as string, secretHash: env.FLW_SECRET_HASH as string }
        : { ...keys.flutterwave, endpoint: `${local}/flutterwave/v3` }),
    }),
  );
  return backends;
}

type PayuCurrency = (typeof PAYU_CURRENCIES)[number];
function payuCurrency(code: string): PayuCurrency {
  const found = PAYU_CURRENCIES.find((c) => c === code.toUpperCase());
  if (!found) throw new Error(`PAYU_CURRENCY must be one of ${PAYU_CURRENCIES.join(', ')}`);
  return found;
}

/** A real-time clock that can jump ahead, so a subscription's next month can be tried in seconds. */
export function skippableClock(): SandboxClock & { offset(): number } {
  let offset = 0;
  return {
    manual: false,
    now: () => Date.now() + offset,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError('advance() takes a non-negative number of ms');
      offset += ms;
    },
    offset: () => offset,
  };
}

export function createLocalSandbox(
  publicUrl: string,
  clock: SandboxClock,
  send: (request: Request) => Promise<Response>,
  keys: LocalKeys,
): Sandbox {
  const sandbox = createSandbox({
    baseUrl: `${publicUrl}/sandbox`,
    clock,
    fetch: send,
    // Brokers' calls go to this demo's bridge only: a PayPal form or PayU order naming any other URL
    // (http://127.0.0.1:<another port>, the demo's own /admin) is refused, never called (SSRF).
    deliveryAllowList: [`${publicUrl}/payments`],
    paypal: { accounts: [{ business: LOCAL.paypal.business, receiverId: LOCAL.paypal.receiverId }] },
    payu: {
      pos: LOCAL.payu
        .map((p) => localPos(p, keys))
        .map((pos) => ({
          posId: pos.posId,
          clientId: pos.clientId,
          clientSecret: pos.clientSecret,
          secondKey: pos.secondKey,
          currency: pos.currency,
        })),
    },
    stripe: { secretKeys: [keys.stripe.secretKey] },
    przelewy24: {
      merchants: [
        { merchantId: LOCAL.przelewy24.merchantId, posId: LOCAL.przelewy24.merchantId, ...keys.przelewy24 },
      ],
      // The admin has no "complete refunds" control for P24: its refunds complete at once, notified.
      autoCompleteRefunds: true,
    },
    razorpay: (() => {
      const { keyId, keySecret, webhookSecret } = localRazorpayKeys(keys);
      return {
        accounts: [{ keyId, keySecret }],
        webhooks: [{ url: `${publicUrl}/payments/notify/razorpay`, secret: webhookSecret }],
      };
    })(),
    flutterwave: {
      secretKeys: [keys.flutterwave.secretKey],
      secretHash: keys.flutterwave.secretHash,
      // The dashboard's webhook URL: this demo's own notification route.
      webhookUrl: `${publicUrl}/payments/notify/flutterwave`,
    },
  });
  sandbox.stripe.addWebhookEndpoint({
    url: `${publicUrl}/payments/notify/stripe`,
    secret: keys.stripe.webhookSecret,
  });
  sandbox.cmcic.addTpe({
    tpe: LOCAL.cmcic.tpe,
    key: keys.cmcic,
    societe: LOCAL.cmcic.company,
    scheme: 'current',
    retourUrl: `${publicUrl}/payments/notify/cmcic`,
  });
  return sandbox;
}
