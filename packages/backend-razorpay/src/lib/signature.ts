import { hmac, timingSafeEqualText, toHex, utf8 } from '@paybridge/core/kit';

/** Lower-case hex HMAC-SHA256 of `message` with `secret` (every Razorpay signature, §5.1 and §7.2). */
export async function razorpayHmac(secret: string, message: Uint8Array | string): Promise<string> {
  const bytes = typeof message === 'string' ? utf8(message) : message;
  return toHex(await hmac('SHA-256', utf8(secret), bytes));
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * `X-Razorpay-Signature` check over the raw body bytes exactly as received (§7.2), against every
 * configured webhook secret (a rotation keeps signing retries of older events with the old one).
 * Constant-time: razorpay-node compares with `===`, which leaks where the strings differ.
 */
export async function verifyWebhookSignature(
  header: string | null,
  body: Uint8Array,
  secrets: readonly string[],
): Promise<boolean> {
  if (header === null) return false;
  const given = header.trim().toLowerCase();
  if (!HEX_SHA256.test(given)) return false;
  let ok = false;
  for (const secret of secrets) {
    // Every secret is tried, so the time taken does not tell which one matched.
    if (timingSafeEqualText(await razorpayHmac(secret, body), given)) ok = true;
  }
  return ok;
}

export interface LinkCallback {
  paymentId: string;
  paymentLinkId: string;
  referenceId: string;
  status: string;
  signature: string;
}

/** The query Razorpay appends to a Payment Link's callback_url (§5.1), or null when incomplete. */
export function readLinkCallback(url: URL): LinkCallback | null {
  const q = url.searchParams;
  const paymentId = q.get('razorpay_payment_id');
  const paymentLinkId = q.get('razorpay_payment_link_id');
  const status = q.get('razorpay_payment_link_status');
  const signature = q.get('razorpay_signature');
  if (!paymentId || !paymentLinkId || !status || !signature) return null;
  return {
    paymentId,
    paymentLinkId,
    referenceId: q.get('razorpay_payment_link_reference_id') ?? '',
    status,
    signature,
  };
}

/**
 * The callback signature (§5.1): HMAC-SHA256 with the API key secret over
 * `plink_id|reference_id|status|payment_id`, where plink_id is the one WE stored for the payment.
 */
export async function verifyLinkCallback(
  callback: LinkCallback,
  storedLinkId: string,
  keySecret: string,
): Promise<boolean> {
  const payload = `${storedLinkId}|${callback.referenceId}|${callback.status}|${callback.paymentId}`;
  const given = callback.signature.trim().toLowerCase();
  if (!HEX_SHA256.test(given)) return false;
  return timingSafeEqualText(await razorpayHmac(keySecret, payload), given);
}
