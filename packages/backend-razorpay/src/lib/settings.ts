import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import { z } from 'zod';

const nonEmpty = memoized(() => z.string().trim().min(1, 'is required'));
const currency = memoized(() => z.string().regex(/^[A-Z]{3}$/, 'must be an upper-case ISO 4217 code'));
const webhookSecret = memoized(() =>
  z.string().min(1, 'is required').regex(/^\S+$/, 'must not contain spaces'),
);

export const razorpaySettingsSchema = memoized(() =>
  z
    .object({
      /** API key id from Dashboard → Account & Settings → API Keys (`rzp_test_…` or `rzp_live_…`). */
      keyId: nonEmpty().regex(
        /^rzp_(test|live)_[A-Za-z0-9]+$/,
        'must be an API key id (rzp_test_… or rzp_live_…)',
      ),
      /** API key secret: HTTP Basic auth of every call, and the key of the callback signature (§5.1). */
      keySecret: nonEmpty(),
      /**
       * The secret typed when the webhook was created (Dashboard → Webhooks), NOT the key secret (§10.1).
       * List the old and the new secret while rotating: retries of older events keep the old one (§7.2).
       */
      webhookSecret: z
        .union([webhookSecret(), z.array(webhookSecret()).min(1)])
        .transform((v) => (Array.isArray(v) ? v : [v])),
      /** Currencies the account takes; INR by default, international ones need the feature enabled (§2). */
      currencies: z.array(currency()).min(1).default(['INR']),
      testMode: z.boolean().optional(),
      endpoint: endpointUrlSchema().optional(),
      /**
       * The account's payment capture setting (Dashboard → Payment Capture, §6.2): `auto` (Razorpay's default)
       * captures every authorized payment; `manual` leaves payments authorized until `capture`.
       */
      captureMode: z.enum(['auto', 'manual']).default('auto'),
      /** Refund speed asked for (§8.1): `normal` (5–7 working days) or `optimum` (instant when possible). */
      refundSpeed: z.enum(['normal', 'optimum']).default('normal'),
      /** Life of a Payment Link, minutes (`expire_by`): at least 15 minutes, at most 6 months (§3.1). */
      linkLifetimeMinutes: z
        .number()
        .int()
        .min(16)
        .max(180 * 24 * 60)
        .default(24 * 60),
      /** Smallest amount Razorpay accepts, minor units per currency (INR 1.00; UNCONFIRMED for links). */
      minimumAmounts: z.record(currency(), z.number().int().min(1)).default({ INR: 100 }),
      /** Milliseconds before an API call is aborted (Razorpay answers webhooks' 5 s rule on its side). */
      timeoutMs: z.number().int().min(1000).max(60_000).default(15_000),
    })
    .strict(),
);

export type RazorpaySettingsInput = z.input<ReturnType<typeof razorpaySettingsSchema>>;
export type RazorpaySettings = z.output<ReturnType<typeof razorpaySettingsSchema>>;

export const isLiveKey = (keyId: string) => keyId.startsWith('rzp_live_');
