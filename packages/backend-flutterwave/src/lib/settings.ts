import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import { z } from 'zod';

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

const nonEmpty = memoized(() => z.string().trim().min(1, 'is required'));
const secretKey = memoized(() =>
  nonEmpty().regex(
    /^FLWSECK(_TEST)?-[A-Za-z0-9]+-X$/,
    'must be a v3 secret key (FLWSECK_TEST-…-X or FLWSECK-…-X), not the public or encryption key',
  ),
);
// The secret hash is free text typed in the dashboard; a short one is guessable by anyone who can post.
const secretHash = memoized(() =>
  z.string().min(16, 'must be at least 16 characters (Dashboard → Settings → Webhooks)'),
);
const currency = memoized(() => z.string().regex(/^[A-Z]{3}$/, 'must be an upper-case ISO 4217 code'));

export const flutterwaveSettingsSchema = memoized(() =>
  z
    .object({
      /** v3 secret key, sent as `Authorization: Bearer …`; its TEST/live prefix decides the mode (§1). */
      secretKey: secretKey(),
      /**
       * The webhook secret hash set beside the webhook URL in the dashboard. Several may be listed while
       * it is being changed.
       */
      secretHash: z
        .union([secretHash(), z.array(secretHash()).min(1)])
        .transform((v) => (Array.isArray(v) ? v : [v])),
      /** Accept the v3 `verif-hash` header (the secret hash itself, compared in constant time). */
      acceptVerifHash: z.boolean().default(true),
      /**
       * Also accept `flutterwave-signature` = base64 HMAC-SHA256(secret hash, raw body) — the newer
       * scheme, UNCONFIRMED for v3 webhooks (§5.2). Either way the transaction is re-verified by id.
       */
      acceptSignatureHeader: z.boolean().default(true),
      /**
       * `exact` (default): the verified amount must equal the payment's; `at-least` follows Flutterwave's
       * own rule (§5.3 item 4) and records an overpayment as an anomaly.
       */
      amountPolicy: z.enum(['exact', 'at-least']).default('exact'),
      /** Restrict the currencies offered (a subset of what the account takes). */
      currencies: z.array(currency()).min(1).optional(),
      /** Currencies your account takes beyond `FLUTTERWAVE_CURRENCIES`. */
      extraCurrencies: z.array(currency()).default([]),
      /** `payment_options`, e.g. `card, banktransfer, ussd`; unset uses the account's defaults. */
      paymentOptions: nonEmpty().optional(),
      /** `session_duration`: minutes the hosted page stays usable (Flutterwave allows at most 1440). */
      sessionDurationMinutes: z.number().int().min(1).max(1440).optional(),
      /** `max_retry_attempt`: failed attempts allowed on the page before it closes. */
      maxRetryAttempts: z.number().int().min(1).max(10).optional(),
      /**
       * `customer.email` when the buyer gave none (Flutterwave requires one, §3.1), e.g. a shop mailbox.
       * Unset: a payment without `buyer.email` is refused before Flutterwave is called.
       */
      defaultCustomerEmail: z.email().optional(),
      /** `customizations.title` shown on the hosted page (default: the payment description). */
      title: nonEmpty().max(100).optional(),
      /** `customizations.logo`: an https URL. */
      logo: z.url({ protocol: /^https$/ }).optional(),
      /**
       * Query parameter of `GET /v3/refunds` that filters by transaction id (UNCONFIRMED, §7.2). The
       * list is searched before a refund whose earlier answer was lost is sent again.
       */
      refundListTransactionParam: nonEmpty().default('id'),
      /** Query parameter of `GET /v3/refunds` giving the first day (YYYY-MM-DD) to list (UNCONFIRMED). */
      refundListFromParam: nonEmpty().default('from'),
      /**
       * How far Flutterwave's clock may lag ours: a listed refund counts as made by our attempt when it
       * was created at most this many seconds before we recorded the refund request.
       */
      refundClockSkewSeconds: z.number().int().min(0).max(3600).default(120),
      testMode: z.boolean().optional(),
      /** Base URL of the v3 API (a local sandbox: `http://localhost:4000/flutterwave/v3`). */
      endpoint: endpointUrlSchema().optional(),
    })
    .strict()
    .superRefine((settings, issue) => {
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
