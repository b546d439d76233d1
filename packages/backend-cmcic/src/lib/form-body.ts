/**
 * application/x-www-form-urlencoded decoding that keeps the exact bytes. The MAC is computed over
 * the values as the bank's PHP sees them (raw bytes after URL-decoding, protocols/cmcic.md §3.2),
 * so each value is kept as a "binary string" (one char per byte, 0–255) rather than decoded as
 * UTF-8, which would turn invalid sequences into U+FFFD and break the MAC.
 */

import { strictUtf8 } from '@paybridge/core/kit';

export interface ParsedForm {
  /** Field name → value, both as binary strings. Empty values are kept (`veres=` → ""). */
  fields: Record<string, string>;
  /** Names that appeared more than once (an ambiguous message: which value was sealed?). */
  duplicates: string[];
}

function percentDecodeBinary(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '+') {
      out += ' ';
    } else if (char === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out += char;
    }
  }
  return out;
}

/** Parse a form body (or a query string without its `?`) given as a binary string. */
export function parseForm(binary: string): ParsedForm {
  const fields: Record<string, string> = Object.create(null);
  const duplicates: string[] = [];
  for (const part of binary.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = percentDecodeBinary(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : percentDecodeBinary(part.slice(eq + 1));
    if (name in fields) duplicates.push(name);
    else fields[name] = value;
  }
  return { fields, duplicates };
}

export function bytesToBinary(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

export function binaryToBytes(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i) & 0xff;
  return out;
}

/** A binary string read as UTF-8 when it is valid UTF-8, else as ISO-8859-1 (nothing is lost). */
export function binaryToText(binary: string): string {
  let ascii = true;
  for (let i = 0; i < binary.length && ascii; i++) ascii = binary.charCodeAt(i) < 0x80;
  if (ascii) return binary;
  try {
    return strictUtf8(binaryToBytes(binary));
  } catch {
    return binary;
  }
}
