import { currencyExponent, formatMinor, parseMajor } from '@paybridge/core';
import { digest, utf8 } from '@paybridge/core/kit';

/** Payment-page languages (doc v3.0 `lgue`; Monetico adds JA). */
export const CMCIC_LANGUAGES = ['FR', 'EN', 'DE', 'IT', 'ES', 'NL', 'PT', 'SV', 'JA'] as const;
export type CmcicLanguage = (typeof CMCIC_LANGUAGES)[number];

const TEXTE_LIBRE_MAX = 3200;

// Building a DateTimeFormat costs far more than formatting with one; a shop has one or two zones.
const requestDateFormats = new Map<string, Intl.DateTimeFormat>();

function requestDateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = requestDateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    requestDateFormats.set(timeZone, format);
  }
  return format;
}

/**
 * `date` of the request form: `DD/MM/YYYY:HH:MM:SS` in the bank's wall-clock time. The kits use
 * the server's local time and the bank refuses forms dated too far from its own clock (~12 h,
 * protocols/cmcic.md §7), hence an explicit time zone (Europe/Paris by default).
 */
// The form date has whole seconds: the last one formatted per zone is reused within its second.
const lastRequestDate = new Map<string, { second: number; text: string }>();

export function formatRequestDate(date: Date, timeZone: string): string {
  const second = Math.floor(date.getTime() / 1000);
  const last = lastRequestDate.get(timeZone);
  if (last?.second === second) return last.text;
  const text = formatRequestDateNow(date, timeZone);
  lastRequestDate.set(timeZone, { second, text });
  return text;
}

function formatRequestDateNow(date: Date, timeZone: string): string {
  const parts = requestDateFormat(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('day')}/${part('month')}/${part('year')}:${part('hour')}:${part('minute')}:${part('second')}`;
}

/** Minor units → `montant` (`19.99EUR`, `10JPY`): exact string arithmetic, never floats. */
export function formatMontant(amount: number, currency: string): string {
  return `${formatMinor(amount, currency)}${currency}`;
}

/**
 * `montant`/`montantech` → minor units and currency. Tolerant of the forms the documented regex
 * allows (`42EUR`, `42.5EUR`, `42.50EUR`): whether the bank re-formats the echo is UNCONFIRMED.
 */
export function parseMontant(text: string): { amount: number; currency: string } | null {
  const match = /^([0-9]+(?:\.[0-9]{1,3})?)([A-Z]{3})$/.exec(text.trim());
  if (!match) return null;
  const [, value = '', currency = ''] = match;
  try {
    return { amount: parseMajor(value, currency), currency };
  } catch {
    return null;
  }
}

/** The currency can be written in `montant` (the documented regex allows at most 2 decimals). */
export function isMontantCurrency(currency: string): boolean {
  try {
    return currencyExponent(currency) <= 2;
  } catch {
    return false;
  }
}

function isPrintableAscii(code: number): boolean {
  return code > 31 && code < 127;
}

/**
 * `texte-libre` must stay printable ASCII so that the bank and we hash the same bytes (doc v3.0:
 * anything outside 31 < c < 127 must be encoded beforehand "to avoid MAC problems"). Every other
 * character, and `%` itself, is percent-encoded as UTF-8; `decodeTexteLibre` reverses it. The result
 * is cut to the 3200-character limit without splitting an escape.
 */
export function encodeTexteLibre(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const piece =
      isPrintableAscii(code) && char !== '%'
        ? char
        : Array.from(utf8(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    if (out.length + piece.length > TEXTE_LIBRE_MAX) break;
    out += piece;
  }
  return out;
}

export function decodeTexteLibre(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Printable ASCII without CR/LF, within `max` characters. */
export function isSafeValue(text: string, max: number): boolean {
  if (text.length > max) return false;
  for (let i = 0; i < text.length; i++) if (!isPrintableAscii(text.charCodeAt(i))) return false;
  return true;
}

const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `reference`: unique per payment, `[A-Za-z0-9]` and at most 12 characters in doc v3.0 (50 in
 * Monetico doc v2.0, 12 recommended so the dashboard does not cut it). A payment id made only of
 * letters and digits is used as it is when it fits; any other id becomes the first `length` base-32
 * characters of its SHA-256 (60 bits for 12 characters). Never strip characters instead: `a-1` and
 * `a_1` would share a reference, and the bank refuses the second as "already processed". The
 * payment's `externalId` keeps the mapping.
 */
export async function referenceFor(paymentId: string, length: number): Promise<string> {
  if (paymentId.length <= length && /^[A-Za-z0-9]+$/.test(paymentId)) return paymentId;
  const hash = await digest('SHA-256', utf8(paymentId));
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of hash) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= length) break;
  }
  return out;
}

/** An express-payment alias (`aliascb`, `[A-Za-z0-9]{1,64}`) for any customer id, stable per id. */
export async function aliasFor(customerId: string): Promise<string> {
  if (/^[A-Za-z0-9]{1,64}$/.test(customerId)) return customerId;
  const hash = await digest('SHA-256', utf8(customerId));
  return `c${Array.from(hash.slice(0, 20), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
