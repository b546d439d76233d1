import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';

/**
 * Currencies P24 settles (python-getpaid-przelewy24's list without the retired HRK; reference §3.2).
 * Which of them a shop may take depends on its contract (UNCONFIRMED): list yours in `currencies`.
 */
export const P24_CURRENCIES = [
  'PLN',
  'EUR',
  'GBP',
  'CZK',
  'USD',
  'BGN',
  'DKK',
  'HUF',
  'NOK',
  'SEK',
  'CHF',
  'RON',
] as const;

/** Hosted page languages (reference §3.1). */
export const P24_LANGUAGES = [
  'bg',
  'cs',
  'de',
  'en',
  'es',
  'fr',
  'hr',
  'hu',
  'it',
  'nl',
  'pl',
  'pt',
  'se',
  'sk',
  'ro',
] as const;

/** Notification source addresses P24 publishes (reference §1); a filter, never the only check. */
export const P24_NOTIFICATION_IPS = [
  '5.252.202.254/32',
  '5.252.202.255/32',
  '20.215.81.124/32',
  '193.178.213.0/24',
  '91.220.177.0/24',
  '20.215.183.48/28',
  '134.112.88.8/29',
] as const;

const nonEmpty = memoized(() => z.string().check(z.trim(), z.minLength(1, 'is required')));
const id = memoized(() =>
  z.union([
    z.int().check(z.positive()),
    z.pipe(z.string().check(z.regex(/^\d{1,15}$/, 'must be a number')), z.transform(Number)),
  ]),
);

export const przelewy24SettingsSchema = memoized(() =>
  z.pipe(
    z.strictObject({
      /** Merchant id ("ID sprzedawcy"), P24 panel → My data → API and configuration data. */
      merchantId: id(),
      /** Shop (POS) id; P24 sets it equal to `merchantId` unless the account has several shops. */
      posId: z.optional(id()),
      /** CRC key: salts every `sign`; never sent on the wire. */
      crc: nonEmpty(),
      /** API key ("klucz do raportów", reports key): the HTTP Basic password of every API call. */
      apiKey: nonEmpty(),
      /** Currencies the shop's contract takes (default PLN only). */
      currencies: z._default(z.array(z.enum(P24_CURRENCIES)).check(z.minLength(1)), ['PLN']),
      testMode: z.optional(z.boolean()),
      endpoint: z.optional(endpointUrlSchema()),
      /** Timeout of each call to P24's API, ms. */
      timeoutMs: z._default(z.int().check(z.positive(), z.lte(120_000)), 15_000),
      /** Hosted page language when the buyer's is not one P24 offers. */
      language: z._default(z.enum(P24_LANGUAGES), 'pl'),
      /** `country` sent on register (ISO 3166 alpha-2). */
      country: z._default(
        z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an upper-case ISO 3166 code')),
        'PL',
      ),
      /** Payment method groups offered (`channel` bitmask, e.g. 8192 = BLIK only); unset = all. */
      channel: z.optional(z.int().check(z.gte(1), z.lte(65_535))),
      /** Minutes the buyer has on P24's page (`timeLimit`, 0 = no limit). */
      timeLimitMinutes: z.optional(z.int().check(z.gte(0), z.lte(99))),
      /** `waitForResult`: the buyer waits on P24 until the result is known before coming back. */
      waitForResult: z._default(z.boolean(), true),
      /**
       * `regulationAccept`: true only when your checkout shows P24's terms consent itself (an unchecked box
       * with P24's links); otherwise P24 shows them.
       */
      regulationAccept: z._default(z.boolean(), false),
      /** Buyer e-mail sent when the payment has none (P24 requires one). Unset: such a payment is refused. */
      fallbackEmail: z.optional(z.email().check(z.maxLength(50))),
      /**
       * Only accept notifications from these addresses (CIDR). Unset: no address filter — the sign and the
       * verify call are the checks; set `P24_NOTIFICATION_IPS` when the client IP the bridge sees is trustworthy.
       */
      notificationIps: z.optional(z.array(nonEmpty()).check(z.minLength(1))),
    }),
    z.transform((settings) => ({ ...settings, posId: settings.posId ?? settings.merchantId })),
  ),
);

export type Przelewy24SettingsInput = z.input<ReturnType<typeof przelewy24SettingsSchema>>;
export type Przelewy24Settings = z.output<ReturnType<typeof przelewy24SettingsSchema>>;
