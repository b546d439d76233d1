/**
 * Byte helpers on Web APIs only (no node:*), shared by the core and the backends. Hashes live apart:
 * `hashes.ts` (@noble/hashes, for backends through the kit) and `web-crypto.ts` (the root's SHA-256).
 */

const encoder = new TextEncoder();
// One instance for every call: a decode() without `stream` starts afresh (no state survives a call,
// not even a failed one). Default options otherwise: a leading BOM is dropped, as every decoder here did.
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * The bytes as UTF-8 text, or a `TypeError` when they are not UTF-8: a broker's body with a malformed
 * sequence is refused rather than read with U+FFFD in place of what was signed. A leading BOM is
 * dropped, as `TextDecoder` does by default.
 */
export function strictUtf8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

/**
 * A broker's JSON body, read from its raw bytes once they are verified: strict UTF-8 (`strictUtf8`),
 * then `JSON.parse`. `undefined` when the bytes are not UTF-8 or not JSON, never a throw (JSON itself
 * has no `undefined`, so the answer is unambiguous); what the value must look like is the caller's
 * schema to say.
 */
export function parseJsonBody(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(strictUtf8(bytes));
  } catch {
    return undefined;
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new TypeError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (/[^A-Za-z0-9_-]/.test(text)) throw new TypeError('not base64url');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Compare without an early exit, so the time taken does not reveal where the inputs differ. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // Lengths are public (signatures and MACs have fixed sizes); only the contents must not leak.
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Constant-time comparison of two strings' UTF-8 bytes. */
export function timingSafeEqualText(a: string, b: string): boolean {
  return timingSafeEqual(utf8(a), utf8(b));
}

/**
 * Random bytes drawn from the platform CSPRNG a page at a time: one `getRandomValues` call costs
 * about as much for 4 KiB as for 16 bytes, and a notification needs several ids. Each byte is
 * handed out once.
 */
const RANDOM_PAGE = 4096;
let randomPage = new Uint8Array(0);
let randomOffset = 0;

function randomBytes(count: number): Uint8Array {
  if (count > RANDOM_PAGE) return crypto.getRandomValues(new Uint8Array(count));
  if (randomOffset + count > randomPage.length) {
    randomPage = crypto.getRandomValues(new Uint8Array(RANDOM_PAGE));
    randomOffset = 0;
  }
  const bytes = randomPage.subarray(randomOffset, randomOffset + count);
  randomOffset += count;
  return bytes;
}

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A random id with `bytes` bytes of entropy, base32-like lower case ("pay_…"). */
export function randomId(prefix: string, bytes = 16): string {
  return `${prefix}_${randomChars(bytes)}`;
}

/**
 * A random id that starts with its creation time (milliseconds in 10 base-32 characters, as a
 * UUIDv7 or a ULID does), then `bytes` bytes of entropy: as unguessable as `randomId` of the same
 * size, but ids made later sort later. A B-tree index on them then grows at its end instead of
 * splitting pages at random, and each commit writes fewer pages.
 */
export function sortableId(prefix: string, bytes = 16, now = Date.now()): string {
  let time = '';
  let rest = Math.max(0, Math.floor(now));
  for (let i = 0; i < 10; i++) {
    time = (ID_ALPHABET[rest % 32] as string) + time;
    rest = Math.floor(rest / 32);
  }
  return `${prefix}_${time}${randomChars(bytes)}`;
}

function randomChars(bytes: number): string {
  const raw = randomBytes(bytes);
  const alphabet = ID_ALPHABET;
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of raw) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decode bytes as UTF-8 when they are valid UTF-8, else as base64 (nothing is lost either way). */
export function bytesForLog(bytes: Uint8Array): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  try {
    return { body: strictUtf8(bytes), bodyEncoding: 'utf8' };
  } catch {
    return { body: toBase64(bytes), bodyEncoding: 'base64' };
  }
}
