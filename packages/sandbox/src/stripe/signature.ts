import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * `v1` = hex(HMAC-SHA256(key = UTF-8 of the whole `whsec_…` string, msg = `${t}.${rawBody}`))
 * (reference §5.2 step 3: the prefix is part of the key, nothing is base64-decoded).
 */
export function stripeSignature(secret: string, timestamp: number, body: Uint8Array): string {
  const prefix = utf8ToBytes(`${timestamp}.`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  return bytesToHex(hmac(sha256, utf8ToBytes(secret), message));
}

/** `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=<hex>…]`: one v1 per signing secret (rotation). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: Uint8Array): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${stripeSignature(s, timestamp, body)}`)].join(',');
}
