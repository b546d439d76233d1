import type { Payment } from '@paybridge/core';
import { endpointUrlSchema, memoized } from '@paybridge/core/kit';
import * as z from '@paybridge/core/schema';
import { CMCIC_LANGUAGES, isMontantCurrency } from './format';
import { cmcicKeyHex } from './key';

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { error: `${what} must be a function` });

const isKey = (key: string) => {
  try {
    cmcicKeyHex(key);
    return true;
  } catch {
    return false;
  }
};

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const cmcicSettingsSchema = memoized(() =>
  z
    .object({
      /** Virtual terminal number (`TPE`), 7 letters or digits. */
      tpe: z.string().check(z.regex(/^[A-Za-z0-9]{7}$/, 'must be 7 letters or digits')),
      /** The 40-character key from the bank (legacy keys ending in a non-hex character are fine). */
      key: z
        .string()
        .check(
          z.length(40, 'must have 40 characters'),
          z.refine(isKey, 'is not a valid CM-CIC key (40 hexadecimal characters, legacy suffix allowed)'),
        ),
      /** Company code (`societe`) given by the bank. */
      company: z.string().check(z.regex(/^[A-Za-z0-9]{1,20}$/, 'must be 1 to 20 letters or digits')),
      /** MAC scheme of the terminal at the bank: `current` (sorted key=value, default) or `legacy` (positional). */
      macScheme: z._default(z.enum(['current', 'legacy']), 'current'),
      /** Currencies the terminal takes (default `['EUR']`; at most 2 decimals). */
      currencies: z._default(
        z
          .array(
            z.string().check(z.refine(isMontantCurrency, 'must be an ISO 4217 code with at most 2 decimals')),
          )
          .check(z.minLength(1)),
        ['EUR'],
      ),
      /** Payment-page language when the buyer's is not available (default `FR`). */
      language: z._default(z.enum(CMCIC_LANGUAGES), 'FR'),
      /** Time zone of the form `date` (default `Europe/Paris`, the bank's clock). */
      timeZone: z._default(
        z.string().check(z.refine(isTimeZone, 'is not a known time zone')),
        'Europe/Paris',
      ),
      /** Length of the `reference` derived from the payment id (default 12; 12 max in legacy, 50 in current). */
      referenceLength: z.optional(z.int().check(z.gte(8), z.lte(50))),
      /**
       * Express payment alias (`aliascb`): by default the order snapshot's `aliascb`, else the buyer's
       * `customerId` (made `[A-Za-z0-9]{1,64}` by hashing when needed). A function overrides it; `false`
       * never sends one.
       */
      alias: z.optional(
        z.union([z.literal(false), fn<(payment: Payment) => string | null | undefined>('alias')]),
      ),
      /** `texte-libre` for a payment (default: its description); encoded to printable ASCII. */
      freeText: z.optional(fn<(payment: Payment) => string>('freeText')),
      /**
       * `contexte_commande` (current scheme) for a payment; default: the order snapshot's
       * `contexteCommande`, else `billing` from the buyer (name, e-mail, `billingAddress`) — then
       * `prepare` refuses a payment whose buyer has no billing address (`BACKEND_UNAVAILABLE`, reason
       * `BILLING_ADDRESS_REQUIRED`, `details.missing` naming the fields).
       */
      orderContext: z.optional(fn<(payment: Payment) => Record<string, unknown>>('orderContext')),
      /**
       * How the bank set the terminal up (`immediate` by default): `deferred` — a paid return means
       * authorised, and `bridge.capture` collects the whole amount (or `bridge.cancel` releases it);
       * `partial` — the same, and a capture may be less than the amount (the rest is then released).
       */
      terminalMode: z._default(z.enum(['immediate', 'deferred', 'partial']), 'immediate'),
      testMode: z.optional(z.boolean()),
      /** Base URL of the payment server (a local sandbox, a legacy bank host); `/paiement.cgi` is appended. */
      endpoint: z.optional(endpointUrlSchema()),
    })
    .check(
      z.superRefine((settings, issue) => {
        if (settings.macScheme === 'legacy' && (settings.referenceLength ?? 12) > 12) {
          issue.addIssue({
            code: 'custom',
            path: ['referenceLength'],
            message: 'at most 12 in the legacy scheme',
          });
        }
      }),
    ),
);

/** What `cmcic({...})` accepts: the settings as written, plus the backend's identity. */
export type CmcicOptions = z.input<ReturnType<typeof cmcicSettingsSchema>> & {
  /** Backend id (route `/notify/<id>`); give each terminal its own id when you use several. */
  id?: string;
  displayName?: string;
};

/** The settings once validated, defaults applied. */
export type CmcicSettings = z.output<ReturnType<typeof cmcicSettingsSchema>>;
