import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { MacScheme } from './mac';

/** The simulator's test cards, shown on the payment page ("TEST" icon of the real page, reference §7). */
export const TEST_CARDS = {
  accepted: '4000000000000002',
  refused: '4000000000000010',
  /** Blocked by the fraud module (card-country filter): `Annulation`, `motifrefus=filtrage`. */
  fraudFiltered: '4000000000000028',
  /** Fraud module in "information" mode: accepted, with `filtrage_etat=information`. */
  fraudInformation: '4000000000000036',
} as const;

export const TEST_CVV = '123';

export type CardDecision =
  | { outcome: 'accepted'; filter?: FraudFilter }
  | { outcome: 'refused'; motif: 'Refus' }
  | { outcome: 'filtered'; filter: FraudFilter };

/** Filter 4 = card country (reference §5.2); the bank's sample ends each list with a dash. */
export interface FraudFilter {
  cause: string;
  value: string;
  information: boolean;
  cardCountry: string;
}

const CARD_COUNTRY_FILTER = { cause: '4-', value: 'USA-', cardCountry: 'USA' };

/** Unknown card numbers and a wrong CVV are refused by the "issuer". */
export function decideCard(pan: string, cvv: string): CardDecision {
  if (pan === TEST_CARDS.fraudFiltered) {
    return { outcome: 'filtered', filter: { ...CARD_COUNTRY_FILTER, information: false } };
  }
  if (cvv !== TEST_CVV) return { outcome: 'refused', motif: 'Refus' };
  if (pan === TEST_CARDS.accepted) return { outcome: 'accepted' };
  if (pan === TEST_CARDS.fraudInformation) {
    return { outcome: 'accepted', filter: { ...CARD_COUNTRY_FILTER, information: true } };
  }
  return { outcome: 'refused', motif: 'Refus' };
}

/** Accepts `MM/YY`, `MMYY` or `MM/YYYY`; null when malformed. */
export function parseExpiry(value: string): { month: number; year: number } | null {
  const match = /^(\d{2})\/?(\d{2}|\d{4})$/.exec(value.trim());
  if (!match) return null;
  const month = Number(match[1]);
  const rawYear = match[2] as string;
  const year = rawYear.length === 2 ? 2000 + Number(rawYear) : Number(rawYear);
  if (month < 1 || month > 12) return null;
  return { month, year };
}

export function expiryInFuture(expiry: { month: number; year: number }, now: number): boolean {
  const today = new Date(now);
  return expiry.year * 12 + expiry.month >= today.getUTCFullYear() * 12 + today.getUTCMonth() + 1;
}

/** `cbmasquee`: doc v3.0 shows 6 first + 4 last digits; doc v2.0 8 first + 2 last for 16+ digits (§5.1). */
export function maskPan(pan: string, scheme: MacScheme): string {
  const [first, last] = scheme === 'legacy' || pan.length < 16 ? [6, 4] : [8, 2];
  return pan.slice(0, first) + '*'.repeat(pan.length - first - last) + pan.slice(pan.length - last);
}

/** `bincb`: 6 digits in doc v3.0 samples; doc v2.0 sends 8 for PANs of 16+ digits (reference §4.3). */
export function binOf(pan: string, scheme: MacScheme): string {
  return scheme === 'legacy' || pan.length < 16 ? pan.slice(0, 6) : pan.slice(0, 8);
}

/** `hpancb`: a stable per-merchant card hash, 40 upper hex (the bank's own recipe is not public). */
export function hashedPan(tpe: string, pan: string): string {
  return bytesToHex(sha1(utf8ToBytes(`${tpe}:${pan}`))).toUpperCase();
}
