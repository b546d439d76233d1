/**
 * application/x-www-form-urlencoded as PayPal writes it: `%XX` escapes bytes in the charset the
 * message names in its own `charset` field (windows-1252 unless the account says otherwise), so the
 * body must be percent-decoded to bytes first and only then decoded to text. URLSearchParams and
 * querystring assume UTF-8 and turn "Zo%EB" into "Zo\uFFFD" (protocols/paypal.md §6, §7.2, §7.3).
 */

/** What PayPal assumes when the message carries no `charset` (its IPN simulator omits it). */
export const DEFAULT_IPN_CHARSET = 'windows-1252';

export interface DecodedForm {
  /** Every key/value pair in the order received (duplicate keys kept). */
  pairs: ReadonlyArray<readonly [string, string]>;
  /** The charset the values were decoded with (as the message spelled it, or the default). */
  charset: string;
  /** False when the message had no `charset` field and the default was assumed. */
  charsetDeclared: boolean;
}

export class FormDecodingError extends Error {
  override readonly name = 'FormDecodingError';
}

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PLUS = 0x2b;
const PERCENT = 0x25;

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** `+` → space and `%XX` → the byte, as the WHATWG form decoder does; a stray `%` stays literal. */
export function percentDecodeBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === PLUS) {
      out[length++] = 0x20;
    } else if (byte === PERCENT) {
      const high = hexValue(bytes[i + 1]);
      const low = hexValue(bytes[i + 2]);
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low;
        i += 2;
      } else {
        out[length++] = byte;
      }
    } else {
      out[length++] = byte;
    }
  }
  return out.slice(0, length);
}

function splitBytes(bytes: Uint8Array, separator: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === separator) {
      parts.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

/**
 * WHATWG windows-1252 for 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ); the
 * five unassigned bytes stay C1 controls. Written out because Node 20's TextDecoder('windows-1252')
 * decodes this range as ISO-8859-1 (nodejs/node#56542), which would garble “quotes” and €.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

export interface BytesDecoder {
  decode(bytes: Uint8Array): string;
}

const windows1252: BytesDecoder = {
  decode(bytes) {
    let out = '';
    for (const byte of bytes) {
      out += String.fromCharCode(
        byte >= 0x80 && byte < 0xa0 ? (WINDOWS_1252_HIGH[byte - 0x80] as number) : byte,
      );
    }
    return out;
  },
};

/** A decoder for the charset label, or a FormDecodingError for a label no runtime knows. */
export function decoderFor(charset: string): BytesDecoder {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset.trim());
  } catch {
    throw new FormDecodingError(`unknown charset "${charset}"`);
  }
  // WHATWG maps latin1, iso-8859-1, us-ascii and windows-1252 all to windows-1252.
  return decoder.encoding === 'windows-1252' ? windows1252 : decoder;
}

/** Decode a form body, using the charset named by its own `charset` field (or `defaultCharset`). */
export function decodeForm(body: Uint8Array, defaultCharset = DEFAULT_IPN_CHARSET): DecodedForm {
  const raw = splitBytes(body, AMPERSAND)
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      const equals = segment.indexOf(EQUALS);
      const key = equals === -1 ? segment : segment.subarray(0, equals);
      const value = equals === -1 ? new Uint8Array(0) : segment.subarray(equals + 1);
      return [percentDecodeBytes(key), percentDecodeBytes(value)] as const;
    });
  // The charset label itself is ASCII, so it can be read before the decoder is chosen.
  const declared = raw.find(([key]) => windows1252.decode(key) === 'charset');
  const charset = declared ? windows1252.decode(declared[1]).trim() : defaultCharset;
  if (!charset) throw new FormDecodingError('empty charset');
  const decoder = decoderFor(charset);
  const pairs = raw.map(([key, value]) => [decoder.decode(key), decoder.decode(value)] as const);
  return { pairs, charset, charsetDeclared: declared !== undefined };
}
