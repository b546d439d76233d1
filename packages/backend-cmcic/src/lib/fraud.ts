/**
 * Fraud-prevention module ("Prévention Fraude") return fields, protocols/cmcic.md §5.2 (doc v3.0
 * table): `filtragecause` lists the filters that fired joined by `-` (samples end with a dash:
 * `4-`), `filtragevaleur` the matching values in the same order, `filtrage_etat=information` when
 * the module only informs and blocked nothing.
 */

export const FRAUD_CAUSES = {
  1: { cause: 'ip_address', meaning: 'IP address blocked', value: 'the IP address' },
  2: { cause: 'card_number', meaning: 'card number blocked', value: 'the card number hash' },
  3: { cause: 'card_bin', meaning: 'card BIN blocked', value: 'the card BIN' },
  4: { cause: 'card_country', meaning: 'card country blocked', value: 'the card country' },
  5: { cause: 'ip_country', meaning: 'IP country blocked', value: 'the IP country' },
  6: {
    cause: 'card_ip_country_mismatch',
    meaning: 'card country differs from IP country',
    value: 'cardCountry#ipCountry',
  },
  7: { cause: 'disposable_email', meaning: 'disposable e-mail address', value: 'the e-mail domain' },
  8: {
    cause: 'card_amount_limit',
    meaning: 'amount per card over the period exceeded',
    value: 'cumulated amount',
  },
  9: {
    cause: 'card_transaction_limit',
    meaning: 'transactions per card over the period exceeded',
    value: 'transaction count',
  },
  11: {
    cause: 'alias_transaction_limit',
    meaning: 'transactions per express-payment alias exceeded',
    value: 'transaction count',
  },
  12: {
    cause: 'alias_amount_limit',
    meaning: 'amount per express-payment alias exceeded',
    value: 'cumulated amount',
  },
  13: { cause: 'ip_amount_limit', meaning: 'amount per IP address exceeded', value: 'cumulated amount' },
  14: {
    cause: 'ip_transaction_limit',
    meaning: 'transactions per IP address exceeded',
    value: 'transaction count',
  },
  15: {
    cause: 'card_testing',
    meaning: 'card testing from this IP address',
    value: 'count for the IP address',
  },
  16: {
    cause: 'aliases_per_card',
    meaning: 'too many aliases tied to this card',
    value: 'aliases already tied',
  },
} as const;

export type FraudCauseCode = keyof typeof FRAUD_CAUSES;
export type FraudCause = (typeof FRAUD_CAUSES)[FraudCauseCode]['cause'] | 'unknown';

export interface FraudFilterHit {
  /** The bank's numeric filter code (1–16, no 10). */
  code: number;
  cause: FraudCause;
  /** What the filter checks, in English. */
  meaning: string;
  /** The value that triggered it (`filtragevaleur`), when it could be paired with the cause. */
  value: string | null;
  /** Filter 6 only: the two countries of `cardCountry#ipCountry`. */
  cardCountry?: string;
  ipCountry?: string;
}

export interface FraudScreening {
  /** `information`: the module only reported (filtrage_etat); `blocked`: it refused the payment. */
  mode: 'blocked' | 'information';
  hits: FraudFilterHit[];
  /** The raw fields as received. */
  raw: { filtragecause: string; filtragevaleur: string | null; filtrage_etat: string | null };
}

function splitList(text: string): string[] {
  return text.split('-').filter((item) => item !== '');
}

/** Structured fraud screening from a return's fields, or null when no filter is reported. */
export function parseFraudScreening(
  fields: Readonly<Record<string, string | undefined>>,
): FraudScreening | null {
  const causeText = fields.filtragecause;
  const state = fields.filtrage_etat ?? null;
  if (!causeText && !state) return null;
  const valueText = fields.filtragevaleur ?? null;
  const codes = splitList(causeText ?? '');
  const values = valueText === null ? [] : splitList(valueText);
  // Values are joined by `-` too; a value holding a dash (an e-mail domain) makes pairing ambiguous,
  // so values are attached only when the counts agree and `raw` keeps the original text.
  const paired = values.length === codes.length;
  const hits = codes.map((codeText, index): FraudFilterHit => {
    const code = Number.parseInt(codeText, 10);
    const known = Number.isInteger(code) ? FRAUD_CAUSES[code as FraudCauseCode] : undefined;
    const value = paired ? (values[index] ?? null) : null;
    const hit: FraudFilterHit = {
      code: Number.isInteger(code) ? code : -1,
      cause: known?.cause ?? 'unknown',
      meaning: known?.meaning ?? `unknown filter ${codeText}`,
      value,
    };
    if (code === 6 && value?.includes('#')) {
      const [cardCountry = '', ipCountry = ''] = value.split('#');
      hit.cardCountry = cardCountry;
      hit.ipCountry = ipCountry;
    }
    return hit;
  });
  return {
    mode: state?.toLowerCase() === 'information' ? 'information' : 'blocked',
    hits,
    raw: { filtragecause: causeText ?? '', filtragevaleur: valueText, filtrage_etat: state },
  };
}
