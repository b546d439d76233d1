import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Lower-case hex HMAC-SHA256 (§5.1, §7.2): the webhook secret over raw bytes, or the key secret over text. */
export function razorpaySignature(secret: string, message: Uint8Array | string): string {
  const bytes = typeof message === 'string' ? utf8ToBytes(message) : message;
  return bytesToHex(hmac(sha256, utf8ToBytes(secret), bytes));
}

/** The Payment Link callback signature: `plink_id|reference_id|status|payment_id` with the key secret (§5.1). */
export function linkCallbackSignature(
  keySecret: string,
  linkId: string,
  referenceId: string,
  status: string,
  paymentId: string,
): string {
  return razorpaySignature(keySecret, `${linkId}|${referenceId}|${status}|${paymentId}`);
}
