import { digest, timingSafeEqualText, toHex, utf8 } from '@paybridge/core/kit';
import type { SignatureAlgorithm } from './settings';

/** The parsed `OpenPayu-Signature` header: `sender=checkout;signature=<hex>;algorithm=MD5;content=DOCUMENT`. */
export interface SignatureHeader {
  sender?: string;
  signature?: string;
  algorithm?: string;
  content?: string;
}

/** Both names PayU sends (the X- one is the legacy duplicate); `Headers` lookups are case-insensitive. */
export const SIGNATURE_HEADERS = ['openpayu-signature', 'x-openpayu-signature'] as const;

export function readSignatureHeader(headers: Headers): string | null {
  for (const name of SIGNATURE_HEADERS) {
    const value = headers.get(name);
    if (value?.trim()) return value;
  }
  return null;
}

/** Split on `;`, then each part on its first `=` (protocol reference §4.3 step 1). */
export function parseSignatureHeader(value: string): SignatureHeader {
  const out: Record<string, string> = {};
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    out[part.slice(0, at).trim().toLowerCase()] = part.slice(at + 1).trim();
  }
  return out;
}

/** PayU / PHP SDK names → one spelling; null for a bare "SHA", which is ambiguous (see `algorithmCandidates`). */
export function normaliseAlgorithm(name: string): SignatureAlgorithm | null {
  switch (name.trim().toUpperCase().replaceAll('_', '-')) {
    case 'MD5':
      return 'MD5';
    case 'SHA1':
    case 'SHA-1':
      return 'SHA-1';
    case 'SHA256':
    case 'SHA-256':
      return 'SHA-256';
    case 'SHA384':
    case 'SHA-384':
      return 'SHA-384';
    case 'SHA512':
    case 'SHA-512':
      return 'SHA-512';
    default:
      return null;
  }
}

/**
 * The algorithms a header's `algorithm` may mean. A bare "SHA" is SHA-256 in the current PHP SDK's
 * mapping but meant SHA-1 in older SDKs (protocol reference §4.3), so both digests are tried.
 */
export function algorithmCandidates(name: string): SignatureAlgorithm[] {
  if (name.trim().toUpperCase() === 'SHA') return ['SHA-256', 'SHA-1'];
  const algorithm = normaliseAlgorithm(name);
  return algorithm ? [algorithm] : [];
}

/** MD5 over bytes (WebCrypto has none: @noble/hashes). */
type Md5 = (data: Uint8Array) => Uint8Array;
let md5: Promise<Md5> | undefined;

/**
 * @noble/hashes' MD5, imported on the first MD5 digest, not when the backend is imported (cold
 * start, issue 18), like the kit's own digests. A failed import is not kept: the next call retries.
 */
function loadMd5(): Promise<Md5> {
  md5 ??= import('@noble/hashes/legacy.js').then(
    (module) => module.md5,
    (error: unknown) => {
      md5 = undefined;
      throw error;
    },
  );
  return md5;
}

/**
 * hex(HASH(rawBody ‖ secondKey)) — plain concatenation, body first, no HMAC (protocol reference
 * §4.3 step 3). Computed over the bytes as received: re-serialised JSON would not match.
 */
export async function computeSignature(
  algorithm: SignatureAlgorithm,
  body: Uint8Array,
  secondKey: string,
): Promise<string> {
  const key = utf8(secondKey);
  const data = new Uint8Array(body.length + key.length);
  data.set(body, 0);
  data.set(key, body.length);
  if (algorithm === 'MD5') return toHex((await loadMd5())(data));
  return toHex(await digest(algorithm, data));
}

export type SignatureCheck =
  | { ok: true; algorithm: SignatureAlgorithm }
  | { ok: false; reason: 'missing' | 'malformed' | 'algorithm' | 'mismatch'; message: string };

export async function verifySignature(
  headers: Headers,
  body: Uint8Array,
  secondKey: string,
  allowed: readonly SignatureAlgorithm[],
): Promise<SignatureCheck> {
  const raw = readSignatureHeader(headers);
  if (raw === null) {
    return { ok: false, reason: 'missing', message: 'No OpenPayu-Signature header' };
  }
  const header = parseSignatureHeader(raw);
  if (!header.signature || !header.algorithm) {
    return { ok: false, reason: 'malformed', message: 'OpenPayu-Signature lacks signature or algorithm' };
  }
  const candidates = algorithmCandidates(header.algorithm).filter((a) => allowed.includes(a));
  if (candidates.length === 0) {
    return {
      ok: false,
      reason: 'algorithm',
      message: `Signature algorithm ${JSON.stringify(header.algorithm.slice(0, 20))} is not accepted`,
    };
  }
  // Lower-case both sides so an upper-case hex sender still matches; each comparison is constant-time,
  // and every candidate is computed and compared, so the time does not tell which one matched.
  const received = header.signature.toLowerCase();
  let matched: SignatureAlgorithm | null = null;
  for (const algorithm of candidates) {
    const expected = await computeSignature(algorithm, body, secondKey);
    if (timingSafeEqualText(expected, received) && matched === null) matched = algorithm;
  }
  if (matched === null) {
    return { ok: false, reason: 'mismatch', message: 'OpenPayu-Signature does not match the body' };
  }
  return { ok: true, algorithm: matched };
}
