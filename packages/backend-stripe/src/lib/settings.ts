import type { Payment } from '@paybridge/core';
import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import type Stripe from 'stripe';

/** The API version this backend was written and tested for (stripe-node 23.x pins it). */
export const STRIPE_API_VERSION = '2026-11-18.endive';

/** How money reaches a connected account (djaodjin-saas's LOCAL / FORWARD / REMOTE processor modes). */
export const CONNECT_MODES = ['local', 'forward', 'remote'] as const;
export type ConnectMode = (typeof CONNECT_MODES)[number];

/** Platform fee for one payment, in the payment's minor units (0 = none). */
export type ApplicationFee = (payment: Payment) => number | Promise<number>;
/** The connected account (`acct_…`) that sells this payment; `null`/`undefined` = none. */
export type ConnectedAccount = (payment: Payment) => string | null | undefined;

const nonEmpty = memoized(() => z.string().check(z.trim(), z.minLength(1, 'is required')));
const secretKey = memoized(() =>
  nonEmpty().check(
    z.regex(
      /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/,
      'must be a secret key (sk_test_…, sk_live_…) or a restricted key (rk_…)',
    ),
  ),
);
const webhookSecret = memoized(() =>
  z.string().check(z.regex(/^whsec_\S+$/, 'must be a webhook signing secret (whsec_…) without spaces')),
);
const currency = memoized(() =>
  z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an upper-case ISO 4217 code')),
);
const accountId = memoized(() =>
  z.string().check(z.regex(/^acct_[A-Za-z0-9]+$/, 'must be a connected account id (acct_…)')),
);
const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `must be a function (${what})` });

/** Reads `stripeAccount` from the order snapshot `orders.resolve` returned (`snapshot: { stripeAccount }`). */
export const accountFromOrder: ConnectedAccount = (payment) => {
  const value = payment.order.stripeAccount;
  return typeof value === 'string' && value !== '' ? value : null;
};

const connectSchema = memoized(() =>
  z.strictObject({
    mode: z._default(z.enum(CONNECT_MODES), 'local'),
    /** Where the connected account of a payment comes from; default `payment.order.stripeAccount`. */
    account: z._default(fn<ConnectedAccount>('payment → acct_…'), () => accountFromOrder),
    /** forward/remote: the platform's fee per payment (`application_fee_amount`). */
    applicationFee: z.optional(fn<ApplicationFee>('payment → minor units')),
    /** forward: make the connected account the merchant of record (`on_behalf_of`). */
    onBehalfOf: z._default(z.boolean(), false),
    /** forward: refunds pull the transferred money back from the connected account. */
    reverseTransferOnRefund: z._default(z.boolean(), true),
    /** forward/remote: refunds give the platform fee back. */
    refundApplicationFee: z._default(z.boolean(), false),
    /** Account used when the payment names none; without it such a payment is refused in forward/remote. */
    defaultAccount: z.optional(accountId()),
  }),
);

export const stripeSettingsSchema = memoized(() =>
  z
    .strictObject({
      /** Secret API key (or restricted key with Checkout, PaymentIntents, Refunds, Subscriptions write and Invoices read access). */
      secretKey: secretKey(),
      /**
       * Signing secret(s) of the webhook endpoint(s) pointing at `/notify/<id>`: the account endpoint and,
       * in remote mode, the Connect endpoint. Several may be listed while one is being rolled.
       */
      webhookSecret: z.pipe(
        z.union([webhookSecret(), z.array(webhookSecret()).check(z.minLength(1))]),
        z.transform((v) => (Array.isArray(v) ? v : [v])),
      ),
      /** A client you already have; otherwise one is made from `secretKey` with fetch and SubtleCrypto. */
      client: z.optional(
        z.custom<Stripe>(
          (value) =>
            typeof value === 'object' && value !== null && 'checkout' in value && 'paymentIntents' in value,
          { message: 'must be a Stripe client (new Stripe(key))' },
        ),
      ),
      /** Stripe-Version of the client the backend makes (the webhook endpoint must use the same one). */
      apiVersion: z._default(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/)), STRIPE_API_VERSION),
      currencies: z.optional(z.array(currency()).check(z.minLength(1))),
      testMode: z.optional(z.boolean()),
      endpoint: z.optional(endpointUrlSchema()),
      /** Retries the Stripe client makes itself (with the same idempotency key). */
      maxNetworkRetries: z._default(z.int().check(z.gte(0), z.lte(5)), 1),
      /** Replay window of webhook signatures, seconds (Stripe's libraries use 300; 0 disables it). */
      signatureToleranceSeconds: z._default(z.int().check(z.gte(0), z.lte(86_400)), 300),
      /** `manual` authorizes only; capture or cancel later (cards and a few wallets only). */
      captureMethod: z._default(z.enum(['automatic', 'manual']), 'automatic'),
      /** Checkout's `allowed_payment_method_types`; unset lets Stripe pick from the Dashboard settings. */
      allowedPaymentMethodTypes: z.optional(z.array(nonEmpty()).check(z.minLength(1))),
      /** Hosted page locale when the buyer has none ("auto" lets Stripe choose). */
      locale: z._default(z.string().check(z.regex(/^(auto|[a-z]{2}(-[A-Z]{2})?)$/)), 'auto'),
      /**
       * Stripe's exponent per currency where it differs from ISO 4217. UNCONFIRMED: UGX is both in Stripe's
       * zero-decimal list and in its "send with 00 decimals" special cases; 2 is the default here.
       */
      stripeExponents: z._default(z.record(currency(), z.int().check(z.gte(0), z.lte(3))), {}),
      /** Minimum seconds of life Stripe accepts for a session (`expires_at` 30 min … 24 h). */
      sessionLifetimeSeconds: z._default(z.int().check(z.gte(1800), z.lte(86_400)), 86_400),
      connect: z._default(connectSchema(), { mode: 'local' } as never),
    })
    .check(
      z.superRefine((settings, issue) => {
        if (settings.connect.mode === 'local' && settings.connect.applicationFee) {
          issue.addIssue({
            code: 'custom',
            path: ['connect', 'applicationFee'],
            message: 'is only used in forward or remote mode',
          });
        }
      }),
    ),
);

/** What `stripe({...})` accepts: the settings as written, plus the backend's identity. */
export type StripeOptions = z.input<ReturnType<typeof stripeSettingsSchema>> & {
  /** Backend id (route `/notify/<id>`); give each Stripe account its own id when you use several. */
  id?: string;
  displayName?: string;
};

/** The settings once validated, defaults applied. */
export type StripeSettings = z.output<ReturnType<typeof stripeSettingsSchema>>;

export const isLiveKey = (key: string) => key.startsWith('sk_live_') || key.startsWith('rk_live_');
