import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * Algorithms PayU may name in `OpenPayu-Signature` (protocol reference §4.3, the PHP SDK's mapping).
 * PayU signs with MD5 by default; the SHA family lets a backend's verifier be exercised on every branch.
 */
export type PayuSignatureAlgorithm = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const hashes: Record<PayuSignatureAlgorithm, (data: Uint8Array) => Uint8Array> = {
  MD5: md5,
  'SHA-1': sha1,
  'SHA-256': sha256,
  'SHA-384': sha384,
  'SHA-512': sha512,
};

/**
 * hex(HASH(rawBody ‖ secondKey)): plain concatenation, body first, no separator and no HMAC
 * (reference §4.3 step 3). Always over the exact bytes that go on the wire.
 */
export function payuDigest(body: Uint8Array, secondKey: string, algorithm: PayuSignatureAlgorithm): string {
  return bytesToHex(hashes[algorithm](concatBytes(body, utf8ToBytes(secondKey))));
}

/** The header value PayU sends: `sender=checkout;signature=<hex>;algorithm=MD5;content=DOCUMENT`. */
export function signatureHeaderValue(
  body: Uint8Array,
  secondKey: string,
  algorithm: PayuSignatureAlgorithm,
): string {
  return `sender=checkout;signature=${payuDigest(body, secondKey, algorithm)};algorithm=${algorithm};content=DOCUMENT`;
}

/** Splits `k=v;k=v` on `;`, then each part on its first `=` (reference §4.3 step 1). */
export function parseSignatureHeader(value: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return parts;
}

/** Constant-time string comparison (the sandbox imports nothing from core, so it carries its own). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = utf8ToBytes(a);
  const right = utf8ToBytes(b);
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  }
  return difference === 0;
}
