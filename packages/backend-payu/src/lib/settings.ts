import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';

/** Signature algorithms PayU may name in `OpenPayu-Signature`, normalised (protocol reference §4.3). */
export const SIGNATURE_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/**
 * Currencies a PayU POS can be set up in (getpaid / payu_rest lists without the stale HRK, RUB, UAH);
 * the full list PayU settles is UNCONFIRMED. A POS takes exactly one of them (payu-recurring.md §7).
 */
export const PAYU_CURRENCIES = [
  'BGN',
  'CHF',
  'CZK',
  'DKK',
  'EUR',
  'GBP',
  'HUF',
  'NOK',
  'PLN',
  'RON',
  'SEK',
  'USD',
] as const;

const nonEmpty = memoized(() => z.string().check(z.trim(), z.minLength(1, 'is required')));
/** A positive integer written as a number, kept as its decimal string (PayU's ids are strings). */
const numericId = memoized(() => z.pipe(z.int().check(z.positive()), z.transform(String)));

export const payuSettingsSchema = memoized(() =>
  z.strictObject({
    /** POS ID (`merchantPosId`), shown in the PayU panel. */
    posId: z.union([nonEmpty(), numericId()]),
    /** "Second key (MD5)": signs notifications. */
    secondKey: nonEmpty(),
    /** OAuth client_id (usually equal to the POS ID). */
    clientId: z.union([nonEmpty(), numericId()]),
    clientSecret: nonEmpty(),
    /**
     * The POS currency. A POS takes orders in its own currency only (PayU answers
     * ERROR_INCONSISTENT_CURRENCIES otherwise), so the backend offers exactly this one; use one
     * backend (own `id`) per POS for several currencies.
     */
    currency: z.enum(PAYU_CURRENCIES, {
      error: `is required: the POS currency, one of ${PAYU_CURRENCIES.join(', ')}`,
    }),
    /** Replaced by `currency`: named so the error says what to do instead of "unrecognized key". */
    currencies: z.optional(
      z.never({
        error: 'is not a PayU setting: a POS takes one currency, set `currency` (one backend per POS)',
      }),
    ),
    testMode: z.optional(z.boolean()),
    endpoint: z.optional(endpointUrlSchema()),
    /** Timeout of each call to PayU's API, ms. */
    timeoutMs: z._default(z.int().check(z.positive(), z.lte(120_000)), 15_000),
    /**
     * Algorithms accepted on notifications. PayU signs with MD5 by default, so MD5 must stay
     * allowed unless the POS was switched to a SHA algorithm.
     */
    allowedSignatureAlgorithms: z._default(z.array(z.enum(SIGNATURE_ALGORITHMS)).check(z.minLength(1)), [
      ...SIGNATURE_ALGORITHMS,
    ]),
    /** Refresh the OAuth token this many seconds before it expires (the PHP SDK uses 60). */
    tokenRefreshMarginSeconds: z._default(z.int().check(z.gte(0)), 60),
    /** Hosted page language when the buyer has none (ISO 639-1). */
    language: z.optional(z.string().check(z.regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code such as "pl"'))),
    /** `validityTime` of each order, seconds (PayU's default is 86400). */
    validitySeconds: z.optional(z.int().check(z.positive())),
    /**
     * `customerIp` when the bridge does not know the buyer's IP. PayU requires the field and
     * uses it for fraud screening, so without this setting a payment with no known IP is refused.
     */
    fallbackCustomerIp: z.optional(z.union([z.ipv4(), z.ipv6()])),
    /** Also pull the order from PayU (`GET /orders/{id}`) before applying an order notification. */
    confirmNotifications: z._default(z.boolean(), false),
  }),
);

/** What `payu()` takes: the schema's input, plus the backend's id and display name. */
export interface PayuOptions extends z.input<ReturnType<typeof payuSettingsSchema>> {
  /** Backend id (route `/notify/<id>`); give each PayU POS its own id when you use several. */
  id?: string;
  displayName?: string;
}
/** The settings after parsing (defaults filled in): what the backend's functions read. */
export type PayuSettings = z.output<ReturnType<typeof payuSettingsSchema>>;
/** @deprecated Use `PayuOptions` (the same settings, plus `id` and `displayName`). */
export type PayuSettingsInput = z.input<ReturnType<typeof payuSettingsSchema>>;
