import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import { PAYPAL_CURRENCIES } from './currencies';

/**
 * Form variables a merchant may add to every checkout form. Only presentation ones: everything that
 * decides who is paid, how much, or where the IPN goes is written by the backend itself.
 * (protocols/paypal.md §2: `lc`, `cbt`, `no_shipping`, `cn`, `image_url`, `page_style`, `cpp_*`, `bn`.)
 */
const PRESENTATION_FIELD = /^(lc|cbt|no_shipping|cn|image_url|page_style|bn|cpp_[a-z_]+)$/;

const email = memoized(() =>
  z.string().check(z.trim(), z.toLowerCase(), z.regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')),
);

/**
 * NVP API credentials (protocols/paypal-api.md §1–2): API username + password + signature ("3-token"),
 * or username + password with a client certificate (`certificate: true`; the TLS client certificate
 * itself travels in `fetchOptions`, e.g. an undici `dispatcher` on Node, `client` on Deno, `tls` on Bun).
 */
export const paypalApiSchema = memoized(() =>
  z
    .object({
      username: z.string().check(z.trim(), z.minLength(1, 'is required')),
      password: z.string().check(z.minLength(1, 'is required')),
      signature: z.optional(z.string().check(z.minLength(1))),
      certificate: z._default(z.boolean(), false),
      /** Full URL of the NVP endpoint. Default: PayPal's host for the credential kind, or `<endpoint>/nvp` (`/cert/nvp`). */
      endpoint: z.optional(endpointUrlSchema()),
      /** The NVP `VERSION`: ≥ 92.0 for `MSGSUBID` (refund idempotency), ≥ 84.0 for `REFUNDSTATUS`. */
      version: z._default(
        z.string().check(
          z.regex(/^\d{2,3}(\.\d+)?$/, 'must be an NVP API version such as 124.0'),
          z.refine((value) => Number(value) >= 92, 'must be 92.0 or later (MSGSUBID)'),
        ),
        '124.0',
      ),
      /** `SUBJECT`: the email of a merchant who granted this API caller third-party permissions. */
      subject: z.optional(z.string().check(z.trim(), z.minLength(1))),
      /** Extra `fetch` options for every NVP call (the client certificate's agent); see the README. */
      fetchOptions: z.optional(z.record(z.string(), z.unknown())),
      /** How far back `TransactionSearch` looks for a payment whose IPN never came (days before its creation). */
      searchLookbackDays: z._default(z.int().check(z.gte(0), z.lte(30)), 1),
    })
    .check(
      z.refine((api) => api.certificate !== Boolean(api.signature), {
        error: 'give either signature (3-token credentials) or certificate: true, not both and not neither',
        path: ['signature'],
      }),
    ),
);

export type PaypalApiSettings = z.output<ReturnType<typeof paypalApiSchema>>;

export const paypalSettingsSchema = memoized(() =>
  z.object({
    /** Backend id (route `/notify/<id>`); change it to run two PayPal accounts side by side. */
    id: z._default(
      z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes')),
      'paypal',
    ),
    displayName: z._default(z.string().check(z.minLength(1)), 'PayPal'),
    /**
     * The `business` form variable: the account's email or its secure merchant account ID (§2, max
     * 127). Anything else would send the buyer's money to whoever PayPal finds under that text, or
     * nowhere: refused at creation.
     */
    business: z.string().check(
      z.trim(),
      z.minLength(1, 'is required'),
      z.maxLength(127),
      z.refine(
        (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) || /^[A-Z0-9]{6,20}$/.test(value),
        'must be the account email (name@example.com) or its merchant account ID (upper-case letters and digits)',
      ),
    ),
    /** Secure merchant account ID (13 characters), compared with the IPN's `receiver_id` (§8.1, §11.5). */
    receiverId: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.regex(/^[A-Z0-9]{6,20}$/, 'must be the merchant account ID (upper-case letters and digits)'),
        ),
    ),
    /**
     * Emails the IPN's `receiver_email` may carry. PayPal sends the account's *primary* email even when
     * `business` is a secondary one (§8.1). Defaults to `business` when that is an email and `receiverId` is not set.
     */
    receiverEmails: z.optional(z.array(email()).check(z.minLength(1))),
    currencies: z.optional(
      z.array(z.string()).check(
        z.minLength(1),
        z.refine(
          (list) => list.every((code) => PAYPAL_CURRENCIES.includes(code)),
          `each currency must be one PayPal takes (${PAYPAL_CURRENCIES.join(', ')})`,
        ),
      ),
    ),
    testMode: z.optional(z.boolean()),
    /** Base URL of the checkout host (the local sandbox's `<sandbox>/paypal`); `/cgi-bin/webscr` is appended. */
    endpoint: z.optional(endpointUrlSchema()),
    /** Base URL of the IPN postback host; `/cgi-bin/webscr` is appended. Default: ipnpb, or `endpoint` when set. */
    postbackEndpoint: z.optional(endpointUrlSchema()),
    /** The `charset` form variable: how PayPal reads the values of our form (our pages are UTF-8). */
    charsetForm: z._default(z.string().check(z.minLength(1)), 'utf-8'),
    /** How the buyer comes back: GET without data (`rm=1`) or POST with the payment's variables (`rm=2`). */
    returnMethod: z._default(z.enum(['GET', 'POST']), 'GET'),
    /** Subscriptions: ask PayPal to reattempt a failed payment (`sra=1`). */
    reattemptFailedPayments: z._default(z.boolean(), true),
    /** Abort an IPN postback after this long; PayPal then gets a 503 and re-sends the IPN. */
    postbackTimeoutMs: z._default(z.int().check(z.positive()), 10_000),
    /** Postback attempts for one IPN before answering 503 (PayPal's edge fails a few % of postbacks, §7.1). */
    postbackAttempts: z._default(z.int().check(z.gte(1), z.lte(5)), 2),
    /** PayPal's edge refuses postbacks without a User-Agent (§1). */
    userAgent: z._default(z.string().check(z.minLength(1)), 'paybridge-backend-paypal (IPN verification)'),
    /** Optional NVP API credentials: status pull, refunds, subscription cancel (README "API operations"). */
    api: z.optional(paypalApiSchema()),
    /** Extra presentation variables for the checkout form (`lc`, `cbt`, `no_shipping`, `image_url`, …). */
    formFields: z._default(
      z
        .record(z.string(), z.string())
        .check(
          z.refine(
            (fields) => Object.keys(fields).every((name) => PRESENTATION_FIELD.test(name)),
            'only presentation variables (lc, cbt, no_shipping, cn, image_url, page_style, bn, cpp_*)',
          ),
        ),
      {},
    ),
  }),
);

/**
 * What `paypal()` takes. Unlike the backends whose factory peels `id` and `displayName` off, PayPal's
 * schema holds them, so a malformed id is refused when the backend is created.
 */
export type PaypalOptions = z.input<ReturnType<typeof paypalSettingsSchema>>;
/** The settings after parsing (defaults filled in): what the backend's functions read. */
export type PaypalSettings = z.output<ReturnType<typeof paypalSettingsSchema>>;
