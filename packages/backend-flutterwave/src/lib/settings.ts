import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';

/**
 * Currencies Flutterwave's Standard page is known to take (reference §2). The exact list depends on
 * the account and its country (UNCONFIRMED): narrow it with `currencies`, widen it with `extraCurrencies`.
 */
export const FLUTTERWAVE_CURRENCIES = [
  'NGN',
  'GHS',
  'KES',
  'UGX',
  'TZS',
  'RWF',
  'ZAR',
  'ZMW',
  'XAF',
  'XOF',
  'MWK',
  'EGP',
  'USD',
  'EUR',
  'GBP',
] as const;

const nonEmpty = memoized(() => z.string().check(z.trim(), z.minLength(1, 'is required')));
const secretKey = memoized(() =>
  nonEmpty().check(
    z.regex(
      /^FLWSECK(_TEST)?-[A-Za-z0-9]+-X$/,
      'must be a v3 secret key (FLWSECK_TEST-…-X or FLWSECK-…-X), not the public or encryption key',
    ),
  ),
);
// The secret hash is free text typed in the dashboard; a short one is guessable by anyone who can post.
const secretHash = memoized(() =>
  z.string().check(z.minLength(16, 'must be at least 16 characters (Dashboard → Settings → Webhooks)')),
);
const currency = memoized(() =>
  z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an upper-case ISO 4217 code')),
);

export const flutterwaveSettingsSchema = memoized(() =>
  z
    .strictObject({
      /** v3 secret key, sent as `Authorization: Bearer …`; its TEST/live prefix decides the mode (§1). */
      secretKey: secretKey(),
      /**
       * The webhook secret hash set beside the webhook URL in the dashboard. Several may be listed while
       * it is being changed.
       */
      secretHash: z.pipe(
        z.union([secretHash(), z.array(secretHash()).check(z.minLength(1))]),
        z.transform((v: string | string[]) => (Array.isArray(v) ? v : [v])),
      ),
      /** Accept the v3 `verif-hash` header (the secret hash itself, compared in constant time). */
      acceptVerifHash: z._default(z.boolean(), true),
      /**
       * Also accept `flutterwave-signature` = base64 HMAC-SHA256(secret hash, raw body) — the newer
       * scheme, UNCONFIRMED for v3 webhooks (§5.2). Either way the transaction is re-verified by id.
       */
      acceptSignatureHeader: z._default(z.boolean(), true),
      /**
       * `exact` (default): the verified amount must equal the payment's; `at-least` follows Flutterwave's
       * own rule (§5.3 item 4) and records an overpayment as an anomaly.
       */
      amountPolicy: z._default(z.enum(['exact', 'at-least']), 'exact'),
      /** Restrict the currencies offered (a subset of what the account takes). */
      currencies: z.optional(z.array(currency()).check(z.minLength(1))),
      /** Currencies your account takes beyond `FLUTTERWAVE_CURRENCIES`. */
      extraCurrencies: z._default(z.array(currency()), []),
      /** `payment_options`, e.g. `card, banktransfer, ussd`; unset uses the account's defaults. */
      paymentOptions: z.optional(nonEmpty()),
      /** `session_duration`: minutes the hosted page stays usable (Flutterwave allows at most 1440). */
      sessionDurationMinutes: z.optional(z.int().check(z.gte(1), z.lte(1440))),
      /** `max_retry_attempt`: failed attempts allowed on the page before it closes. */
      maxRetryAttempts: z.optional(z.int().check(z.gte(1), z.lte(10))),
      /**
       * `customer.email` when the buyer gave none (Flutterwave requires one, §3.1), e.g. a shop mailbox.
       * Unset: a payment without `buyer.email` is refused before Flutterwave is called.
       */
      defaultCustomerEmail: z.optional(z.email()),
      /** `customizations.title` shown on the hosted page (default: the payment description). */
      title: z.optional(nonEmpty().check(z.maxLength(100))),
      /** `customizations.logo`: an https URL. */
      logo: z.optional(z.url({ protocol: /^https$/ })),
      /**
       * Query parameter of `GET /v3/refunds` that filters by transaction id (UNCONFIRMED, §7.2). The
       * list is searched before a refund whose earlier answer was lost is sent again.
       */
      refundListTransactionParam: z._default(nonEmpty(), 'id'),
      /** Query parameter of `GET /v3/refunds` giving the first day (YYYY-MM-DD) to list (UNCONFIRMED). */
      refundListFromParam: z._default(nonEmpty(), 'from'),
      /**
       * How far Flutterwave's clock may lag ours: a listed refund counts as made by our attempt when it
       * was created at most this many seconds before we recorded the refund request.
       */
      refundClockSkewSeconds: z._default(z.int().check(z.gte(0), z.lte(3600)), 120),
      testMode: z.optional(z.boolean()),
      /** Base URL of the v3 API (a local sandbox: `http://localhost:4000/flutterwave/v3`). */
      endpoint: z.optional(endpointUrlSchema()),
    })
    .check(
      z.superRefine((settings, issue) => {
        const known = new Set<string>([...FLUTTERWAVE_CURRENCIES, ...settings.extraCurrencies]);
        for (const [index, code] of (settings.currencies ?? []).entries()) {
          if (!known.has(code)) {
            issue.addIssue({
              code: 'custom',
              path: ['currencies', index],
              message: `${code} is not a Flutterwave currency (add it to extraCurrencies if your account takes it)`,
            });
          }
        }
      }),
    ),
);

/** What `flutterwave({...})` accepts: the settings as written, plus the backend's identity. */
export type FlutterwaveOptions = z.input<ReturnType<typeof flutterwaveSettingsSchema>> & {
  /** Backend id (route `/notify/<id>`); give each Flutterwave account its own id when you use several. */
  id?: string;
  displayName?: string;
};

/** The settings once validated, defaults applied. */
export type FlutterwaveSettings = z.output<ReturnType<typeof flutterwaveSettingsSchema>>;

/** Test and live share one host; the key's prefix says which (§1, gotcha 10). */
export const isLiveKey = (key: string) => key.startsWith('FLWSECK-');

export function offeredCurrencies(settings: FlutterwaveSettings): string[] {
  const all = [...FLUTTERWAVE_CURRENCIES, ...settings.extraCurrencies];
  return settings.currencies ?? [...new Set(all)];
}
