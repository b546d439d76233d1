import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';

const nonEmpty = memoized(() => z.string().check(z.trim(), z.minLength(1, 'is required')));
const currency = memoized(() =>
  z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an upper-case ISO 4217 code')),
);
const webhookSecret = memoized(() =>
  z.string().check(z.minLength(1, 'is required'), z.regex(/^\S+$/, 'must not contain spaces')),
);

export const razorpaySettingsSchema = memoized(() =>
  z.strictObject({
    /** API key id from Dashboard → Account & Settings → API Keys (`rzp_test_…` or `rzp_live_…`). */
    keyId: nonEmpty().check(
      z.regex(/^rzp_(test|live)_[A-Za-z0-9]+$/, 'must be an API key id (rzp_test_… or rzp_live_…)'),
    ),
    /** API key secret: HTTP Basic auth of every call, and the key of the callback signature (§5.1). */
    keySecret: nonEmpty(),
    /**
     * The secret typed when the webhook was created (Dashboard → Webhooks), NOT the key secret (§10.1).
     * List the old and the new secret while rotating: retries of older events keep the old one (§7.2).
     */
    webhookSecret: z.pipe(
      z.union([webhookSecret(), z.array(webhookSecret()).check(z.minLength(1))]),
      z.transform((v) => (Array.isArray(v) ? v : [v])),
    ),
    /** Currencies the account takes; INR by default, international ones need the feature enabled (§2). */
    currencies: z._default(z.array(currency()).check(z.minLength(1)), ['INR']),
    testMode: z.optional(z.boolean()),
    endpoint: z.optional(endpointUrlSchema()),
    /**
     * The account's payment capture setting (Dashboard → Payment Capture, §6.2): `auto` (Razorpay's default)
     * captures every authorized payment; `manual` leaves payments authorized until `capture`.
     */
    captureMode: z._default(z.enum(['auto', 'manual']), 'auto'),
    /** Refund speed asked for (§8.1): `normal` (5–7 working days) or `optimum` (instant when possible). */
    refundSpeed: z._default(z.enum(['normal', 'optimum']), 'normal'),
    /** Life of a Payment Link, minutes (`expire_by`): at least 15 minutes, at most 6 months (§3.1). */
    linkLifetimeMinutes: z._default(z.int().check(z.gte(16), z.lte(180 * 24 * 60)), 24 * 60),
    /** Smallest amount Razorpay accepts, minor units per currency (INR 1.00; UNCONFIRMED for links). */
    minimumAmounts: z._default(z.record(currency(), z.int().check(z.gte(1))), { INR: 100 }),
    /** Milliseconds before an API call is aborted (Razorpay answers webhooks' 5 s rule on its side). */
    timeoutMs: z._default(z.int().check(z.gte(1000), z.lte(60_000)), 15_000),
  }),
);

export type RazorpaySettingsInput = z.input<ReturnType<typeof razorpaySettingsSchema>>;
export type RazorpaySettings = z.output<ReturnType<typeof razorpaySettingsSchema>>;

export const isLiveKey = (keyId: string) => keyId.startsWith('rzp_live_');
