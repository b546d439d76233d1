import { endpointUrlSchema, type Payment } from '@paybridge/core';
import { z } from 'zod';
import { CMCIC_LANGUAGES, isMontantCurrency } from './lib/format';
import { cmcicKeyHex } from './lib/key';

/** What `cmcic({...})` accepts. */
export interface CmcicSettings {
  /** Virtual terminal number (`TPE`), 7 letters or digits. */
  tpe: string;
  /** The 40-character key from the bank (legacy keys ending in a non-hex character are fine). */
  key: string;
  /** Company code (`societe`) given by the bank. */
  company: string;
  /** MAC scheme of the terminal at the bank: `current` (sorted key=value, default) or `legacy` (positional). */
  macScheme?: 'current' | 'legacy';
  /** Currencies the terminal takes (default `['EUR']`; at most 2 decimals). */
  currencies?: string[];
  /** Payment-page language when the buyer's is not available (default `FR`). */
  language?: (typeof CMCIC_LANGUAGES)[number];
  /** Time zone of the form `date` (default `Europe/Paris`, the bank's clock). */
  timeZone?: string;
  /** Length of the `reference` derived from the payment id (default 12; 12 max in legacy, 50 in current). */
  referenceLength?: number;
  /**
   * Express payment alias (`aliascb`): by default the order snapshot's `aliascb`, else the buyer's
   * `customerId` (made `[A-Za-z0-9]{1,64}` by hashing when needed). A function overrides it; `false`
   * never sends one.
   */
  alias?: false | ((payment: Payment) => string | null | undefined);
  /** `texte-libre` for a payment (default: its description); encoded to printable ASCII. */
  freeText?: (payment: Payment) => string;
  /** `contexte_commande` (current scheme) for a payment; default: the order snapshot's `contexteCommande`, else billing/client from the buyer. */
  orderContext?: (payment: Payment) => Record<string, unknown>;
  /**
   * How the bank set the terminal up (`immediate` by default): `deferred` — a paid return means
   * authorised, and `bridge.capture` collects the whole amount (or `bridge.cancel` releases it);
   * `partial` — the same, and a capture may be less than the amount (the rest is then released).
   */
  terminalMode?: 'immediate' | 'deferred' | 'partial';
  testMode?: boolean;
  /** Base URL of the payment server (a local sandbox, a legacy bank host); `/paiement.cgi` is appended. */
  endpoint?: string;
}

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `${what} must be a function` });

export const settingsSchema = z.object({
  tpe: z.string().regex(/^[A-Za-z0-9]{7}$/, 'must be 7 letters or digits'),
  key: z
    .string()
    .length(40, 'must have 40 characters')
    .refine(
      (key) => {
        try {
          cmcicKeyHex(key);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'is not a valid CM-CIC key (40 hexadecimal characters, legacy suffix allowed)' },
    ),
  company: z.string().regex(/^[A-Za-z0-9]{1,20}$/, 'must be 1 to 20 letters or digits'),
  macScheme: z.enum(['current', 'legacy']).default('current'),
  currencies: z
    .array(z.string().refine(isMontantCurrency, 'must be an ISO 4217 code with at most 2 decimals'))
    .min(1)
    .default(['EUR']),
  language: z.enum(CMCIC_LANGUAGES).default('FR'),
  timeZone: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'is not a known time zone')
    .default('Europe/Paris'),
  referenceLength: z.number().int().min(8).max(50).optional(),
  alias: z.union([z.literal(false), fn<(payment: Payment) => string | null | undefined>('alias')]).optional(),
  freeText: fn<(payment: Payment) => string>('freeText').optional(),
  orderContext: fn<(payment: Payment) => Record<string, unknown>>('orderContext').optional(),
  terminalMode: z.enum(['immediate', 'deferred', 'partial']).default('immediate'),
  testMode: z.boolean().optional(),
  endpoint: endpointUrlSchema.optional(),
});

export type ParsedCmcicSettings = z.output<typeof settingsSchema>;
