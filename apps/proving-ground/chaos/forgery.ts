import { createHash, createHmac } from 'node:crypto';
import type { BrokerId } from './brokers';
import type { Random } from './random';

/** The broker a notification is for, from the bridge route it is posted to (/pay/notify/:backend). */
export function brokerOfUrl(url: string): BrokerId | null {
  const match = /\/notify\/(payu|paypal|cmcic|stripe|przelewy24|razorpay|flutterwave)$/.exec(
    new URL(url).pathname,
  );
  return (match?.[1] as BrokerId | undefined) ?? null;
}

const hex = (random: Random, length: number) =>
  Array.from({ length }, () => '0123456789abcdef'[random.int(0, 15)]).join('');

export interface ForgedMessage {
  headers: Headers;
  body: Uint8Array;
}

/**
 * A forgery built from a genuine message: it claims the payment succeeded, but its signature is not the
 * broker's. PayU: a well-formed MD5 header with a random signature (protocols/payu.md §4.3). PayPal: the
 * status changed after PayPal sent it, so the postback answers INVALID (protocols/paypal.md §7). CM-CIC:
 * `code-retour=paiement` with a random 40-hex MAC (protocols/cmcic.md §3). Stripe: the event with a
 * marker, the genuine timestamp and a random `v1` (protocols/stripe.md §5.2). Przelewy24: the JSON
 * notification with a marker and a random 96-hex `sign` (protocols/przelewy24.md §2). Razorpay: the
 * event with a marker and a random hex `X-Razorpay-Signature` (protocols/razorpay.md §7.2). Flutterwave:
 * `charge.completed` claiming `successful`, with a random `verif-hash` and `flutterwave-signature`
 * (protocols/flutterwave.md §5.2).
 */
export function forge(broker: BrokerId, headers: Headers, body: Uint8Array, random: Random): ForgedMessage {
  const forgedHeaders = new Headers(headers);
  // A unique extra field keeps each forgery's bytes apart from the genuine message it copies, so the
  // check can find its own entry in the gateway message log.
  const marker = `forged-${hex(random, 12)}`;
  const text = new TextDecoder('latin1').decode(body);
  if (broker === 'payu') {
    let json: { order?: { status?: string } } = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // Not JSON: forge the bytes as they are.
    }
    if (json.order) json.order.status = 'COMPLETED';
    (json as Record<string, unknown>).chaos = marker;
    const signature = `sender=checkout;signature=${hex(random, 32)};algorithm=MD5;content=DOCUMENT`;
    forgedHeaders.set('openpayu-signature', signature);
    forgedHeaders.set('x-openpayu-signature', signature);
    return {
      headers: forgedHeaders,
      body: new TextEncoder().encode(json.order ? JSON.stringify(json) : `${text}${marker}`),
    };
  }
  if (broker === 'przelewy24') {
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON: forge the bytes as they are.
    }
    json.chaos = marker;
    json.sign = hex(random, 96);
    return { headers: forgedHeaders, body: new TextEncoder().encode(JSON.stringify(json)) };
  }
  if (broker === 'razorpay' || broker === 'flutterwave') {
    let json: { data?: { status?: unknown } } & Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // Not JSON: forge the bytes as they are.
    }
    json.chaos = marker;
    if (broker === 'razorpay') {
      forgedHeaders.set('x-razorpay-signature', hex(random, 64));
    } else {
      if (json.data) json.data.status = 'successful';
      forgedHeaders.set('verif-hash', `forged-${hex(random, 24)}`);
      forgedHeaders.set('flutterwave-signature', Buffer.from(hex(random, 64), 'hex').toString('base64'));
    }
    return { headers: forgedHeaders, body: new TextEncoder().encode(JSON.stringify(json)) };
  }
  if (broker === 'stripe') {
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON: forge the bytes as they are.
    }
    json.chaos = marker;
    // The genuine message's timestamp: refused for its signature, not for its age.
    const timestamp = /(?:^|,)t=(\d+)/.exec(headers.get('stripe-signature') ?? '')?.[1] ?? '0';
    forgedHeaders.set('stripe-signature', `t=${timestamp},v1=${hex(random, 64)}`);
    return { headers: forgedHeaders, body: new TextEncoder().encode(JSON.stringify(json, null, 2)) };
  }
  const fields = new URLSearchParams(text);
  fields.set('chaos', marker);
  if (broker === 'paypal') fields.set('payment_status', 'Completed');
  else {
    fields.set('code-retour', 'paiement');
    fields.set('MAC', hex(random, 40));
  }
  return { headers: forgedHeaders, body: new TextEncoder().encode(fields.toString()) };
}

export type TamperMode = 'amount' | 'currency';

/**
 * PayU reporting other money for an order (another amount, or the same figure in another currency),
 * validly signed: the payment must become an anomaly, never paid. The harness knows the POS's second
 * key, as PayU does; the signature is MD5(body ‖ secondKey) (protocols/payu.md §4.3).
 */
export function tamperPayu(
  body: Uint8Array,
  secondKey: string,
  mode: TamperMode,
): { body: Uint8Array; signature: string } | null {
  let json: { order?: { totalAmount?: string; currencyCode?: string } };
  try {
    json = JSON.parse(new TextDecoder().decode(body)) as typeof json;
  } catch {
    return null;
  }
  if (!json.order?.totalAmount) return null;
  if (mode === 'amount') json.order.totalAmount = String(Number(json.order.totalAmount) - 100);
  else json.order.currencyCode = json.order.currencyCode === 'EUR' ? 'PLN' : 'EUR';
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  const digest = createHash('md5').update(bytes).update(secondKey).digest('hex');
  return { body: bytes, signature: `sender=checkout;signature=${digest};algorithm=MD5;content=DOCUMENT` };
}

/** The PayU order a notification is about (`extOrderId` is our payment id). */
export function payuPaymentId(body: Uint8Array): string | null {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as { order?: { extOrderId?: string } };
    return json.order?.extOrderId ?? null;
  } catch {
    return null;
  }
}

/** PayU's signature header over `body` with `key` (MD5(body ‖ key), protocols/payu.md §4.3). */
export function signPayu(body: Uint8Array, key: string): string {
  const digest = createHash('md5').update(body).update(key).digest('hex');
  return `sender=checkout;signature=${digest};algorithm=MD5;content=DOCUMENT`;
}

/**
 * A Stripe-Signature over `body` with `secret`, keeping the header's own timestamp:
 * `v1` = hex(HMAC-SHA256(secret, `${t}.${body}`)) (protocols/stripe.md §5.2).
 */
export function signStripe(header: string, body: Uint8Array, secret: string): string {
  const timestamp = /(?:^|,)t=(\d+)/.exec(header)?.[1] ?? String(Math.floor(Date.now() / 1000));
  const v1 = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** The fields a Przelewy24 transaction notification's `sign` covers, in order (protocols/przelewy24.md §2). */
const P24_NOTIFICATION_FIELDS = [
  'merchantId',
  'posId',
  'sessionId',
  'amount',
  'originAmount',
  'currency',
  'orderId',
  'methodId',
  'statement',
] as const;

/**
 * The notification re-signed with another CRC key: `sign` = hex(SHA-384(compact JSON of the signed
 * fields plus `crc`)). A refund notification (other fields) or a body that is not JSON comes back as is.
 */
export function signP24(body: Uint8Array, crc: string): Uint8Array {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
  } catch {
    return body;
  }
  if (!('methodId' in json)) return body;
  const ordered: Record<string, unknown> = {};
  for (const field of P24_NOTIFICATION_FIELDS) ordered[field] = json[field];
  ordered.crc = crc;
  json.sign = createHash('sha384').update(JSON.stringify(ordered)).digest('hex');
  return new TextEncoder().encode(JSON.stringify(json));
}

/** `X-Razorpay-Signature` over `body` with `secret`: hex(HMAC-SHA256(secret, raw body)) (protocols/razorpay.md §7.2). */
export function signRazorpay(body: Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * The headers Flutterwave sends with a webhook under secret hash `hash`: `verif-hash` (the hash itself)
 * and `flutterwave-signature` = base64(HMAC-SHA256(hash, raw body)) (protocols/flutterwave.md §5.2).
 */
export function flutterwaveHeaders(body: Uint8Array, hash: string): { verifHash: string; signature: string } {
  return { verifHash: hash, signature: createHmac('sha256', hash).update(body).digest('base64') };
}
