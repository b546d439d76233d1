import { decodeWindows1252, encodeWindows1252 } from './windows-1252';

/** The two encodings a PayPal account can use for data it sends (IPN, rm=2 return, PDT). */
export type PaypalCharset = 'windows-1252' | 'UTF-8';

/** An ordered list of form variables: order matters to PayPal's verification. */
export type FormPairs = Array<[string, string]>;

/** A form variable before charset decoding: the bytes behind the %XX escapes. */
export interface RawPair {
  name: Uint8Array;
  value: Uint8Array;
}

/** Recognise the labels PayPal and browsers use; `null` for anything we do not simulate. */
export function normalizeCharset(label: string | undefined): PaypalCharset | null {
  const value = (label ?? '').trim().toLowerCase();
  if (value === 'utf-8' || value === 'utf8') return 'UTF-8';
  if (['windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'us-ascii', 'ascii'].includes(value)) {
    return 'windows-1252';
  }
  return null;
}

export function encodeText(text: string, charset: PaypalCharset): Uint8Array {
  return charset === 'UTF-8' ? new TextEncoder().encode(text) : encodeWindows1252(text);
}

export function decodeText(bytes: Uint8Array, charset: PaypalCharset): string {
  return charset === 'UTF-8' ? new TextDecoder('utf-8').decode(bytes) : decodeWindows1252(bytes);
}

// Live IPNs escape everything but alphanumerics and `-_.*`, with `+` for space
// (e.g. `payment_date=20%3A12%3A59+Jan+13%2C+2009+PST`) — protocol reference §6.
function isUnescaped(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x2d ||
    byte === 0x5f ||
    byte === 0x2e ||
    byte === 0x2a
  );
}

function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x20) out += '+';
    else if (isUnescaped(byte)) out += String.fromCharCode(byte);
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Form-encode `pairs` the way PayPal's IPN sender does, in `charset`. The result is pure ASCII bytes. */
export function encodeForm(pairs: FormPairs, charset: PaypalCharset): Uint8Array {
  const body = pairs
    .map(
      ([name, value]) =>
        `${escapeBytes(encodeText(name, charset))}=${escapeBytes(encodeText(value, charset))}`,
    )
    .join('&');
  return new TextEncoder().encode(body);
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

function unescapeBytes(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    const high = byte === 0x25 ? hexValue(bytes[index + 1]) : -1;
    const low = byte === 0x25 ? hexValue(bytes[index + 2]) : -1;
    if (high >= 0 && low >= 0) {
      out.push(high * 16 + low);
      index += 2;
    } else {
      out.push(byte === 0x2b ? 0x20 : byte);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Split a form body into percent-decoded byte pairs without deciding the charset yet: the charset is
 * itself one of the variables (`charset=`), and raw high bytes (django-paypal#153) must survive.
 */
export function parseFormBytes(body: Uint8Array): RawPair[] {
  const pairs: RawPair[] = [];
  let start = 0;
  for (let index = 0; index <= body.length; index++) {
    if (index < body.length && body[index] !== 0x26) continue;
    const chunk = body.subarray(start, index);
    start = index + 1;
    if (chunk.length === 0) continue;
    const equals = chunk.indexOf(0x3d);
    const name = equals < 0 ? chunk : chunk.subarray(0, equals);
    const value = equals < 0 ? new Uint8Array(0) : chunk.subarray(equals + 1);
    pairs.push({ name: unescapeBytes(name), value: unescapeBytes(value) });
  }
  return pairs;
}

/** Variable names are ASCII in every PayPal message; decode them alone to find `cmd` and `charset`. */
export function asciiName(pair: RawPair): string {
  return decodeWindows1252(pair.name);
}

export function findRaw(pairs: RawPair[], name: string): string | undefined {
  const pair = pairs.find((candidate) => asciiName(candidate) === name);
  return pair ? decodeWindows1252(pair.value) : undefined;
}

export function decodePairs(pairs: RawPair[], charset: PaypalCharset): FormPairs {
  return pairs.map((pair) => [decodeText(pair.name, charset), decodeText(pair.value, charset)]);
}
