/**
 * `Stripe-Signature` verification (protocol reference §5.2): HMAC-SHA256 keyed with the whole `whsec_…`
 * string over `<t>.<raw body bytes>`, any `v1` value may match (secret rotation), compared in constant
 * time, `t` no older than the tolerance. Other schemes (`v0`) and unknown keys are ignored, never used.
 * Web Crypto only, so it runs on Node, Bun, Deno and Workers.
 */

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'stale'; message: string };

export interface ParsedSignatureHeader {
  timestamp: number | null;
  v1: string[];
}

// A TextEncoder made per call, not at import (cold start, issue 18); `encode` gives an ArrayBuffer-backed
// array as Web Crypto's types want.
const encodeText = (text: string) => new TextEncoder().encode(text);

export function parseSignatureHeader(header: string): ParsedSignatureHeader {
  let timestamp: number | null = null;
  const v1: string[] = [];
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at < 0) continue;
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number.parseInt(value, 10);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) v1.push(value.toLowerCase());
  }
  return { timestamp, v1 };
}

async function hmacHex(secret: string, timestamp: number, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encodeText(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const prefix = encodeText(`${timestamp}.`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix, 0);
  message.set(body, prefix.length);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Equal-length strings compared without an early exit. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The `Stripe-Signature` header Stripe would send for a body (used by tests and the tooling). */
export async function signPayload(body: Uint8Array, secret: string, timestamp: number): Promise<string> {
  return `t=${timestamp},v1=${await hmacHex(secret, timestamp, body)}`;
}

export async function verifyStripeSignature(
  header: string | null,
  body: Uint8Array,
  secrets: readonly string[],
  options: { toleranceSeconds: number; now: Date },
): Promise<SignatureCheck> {
  if (header === null || header.trim() === '') {
    return { ok: false, reason: 'missing', message: 'No Stripe-Signature header' };
  }
  const parsed = parseSignatureHeader(header.slice(0, 4096));
  if (parsed.timestamp === null || parsed.v1.length === 0) {
    return {
      ok: false,
      reason: 'malformed',
      message: 'Stripe-Signature has no timestamp or no v1 signature',
    };
  }
  let matched = false;
  for (const secret of secrets) {
    const expected = await hmacHex(secret, parsed.timestamp, body);
    // Every candidate is compared, so the time taken does not say which one (if any) matched.
    for (const candidate of parsed.v1) matched = constantTimeEqual(candidate, expected) || matched;
  }
  if (!matched) {
    return { ok: false, reason: 'mismatch', message: 'No v1 signature matches a configured webhook secret' };
  }
  // Stripe's libraries refuse only an age strictly over the tolerance and accept future timestamps.
  const age = Math.floor(options.now.getTime() / 1000) - parsed.timestamp;
  if (options.toleranceSeconds > 0 && age > options.toleranceSeconds) {
    return {
      ok: false,
      reason: 'stale',
      message: `Stripe-Signature timestamp is ${age}s old (tolerance ${options.toleranceSeconds}s)`,
    };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
