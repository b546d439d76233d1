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

// Filter 7 reports an e-mail domain, the only value that may itself hold a dash (`my-mail.example`).
const DASHED_VALUE_CAUSE = 7;

/**
 * Values in the order of `codes`, or null when they cannot be paired without guessing. The lists
 * are joined by `-`, so a dash inside a value (an e-mail domain) yields extra pieces; with at most
 * one filter 7 those extra pieces can only belong to it.
 */
function pairValues(codes: number[], pieces: string[]): (string | null)[] | null {
  if (pieces.length === codes.length) return pieces;
  const dashed = codes.filter((code) => code === DASHED_VALUE_CAUSE).length;
  if (dashed !== 1 || pieces.length < codes.length) return null;
  const at = codes.indexOf(DASHED_VALUE_CAUSE);
  const after = codes.length - at - 1;
  return [
    ...pieces.slice(0, at),
    pieces.slice(at, pieces.length - after).join('-'),
    ...pieces.slice(pieces.length - after),
  ];
}

/** Structured fraud screening from a return's fields, or null when no filter is reported. */
export function parseFraudScreening(
  fields: Readonly<Record<string, string | undefined>>,
): FraudScreening | null {
  const causeText = fields.filtragecause;
  const state = fields.filtrage_etat ?? null;
  if (!causeText && !state) return null;
  const valueText = fields.filtragevaleur ?? null;
  const codeTexts = splitList(causeText ?? '');
  const codes = codeTexts.map((text) => (/^[0-9]+$/.test(text) ? Number(text) : -1));
  // Values are attached only when they pair unambiguously with the causes; `raw` keeps the text.
  const values = valueText === null ? null : pairValues(codes, splitList(valueText));
  const hits = codeTexts.map((codeText, index): FraudFilterHit => {
    const code = codes[index] as number;
    const known = Object.hasOwn(FRAUD_CAUSES, code) ? FRAUD_CAUSES[code as FraudCauseCode] : undefined;
    const value = values?.[index] ?? null;
    const hit: FraudFilterHit = {
      code,
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
