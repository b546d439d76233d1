import { PAYU_POS } from './brokers';
import { deliveredKey, FINAL_ATTEMPT_HEADER } from './faulty-store';
import {
  brokerOfUrl,
  flutterwaveHeaders,
  forge,
  payuPaymentId,
  signP24,
  signPayu,
  signRazorpay,
  signStripe,
  type TamperMode,
  tamperPayu,
} from './forgery';
import type { Random } from './random';

/** The PayU second key and the Stripe endpoint secret of the rotation window: not the merchant's. */
const ROTATED_SECOND_KEY = 'f00dfacef00dfacef00dfacef00dface';
const ROTATED_WEBHOOK_SECRET = 'whsec_rolled_in_the_dashboard_not_deployed_yet';
/** The Przelewy24 CRC key regenerated in P24's panel, not deployed yet. */
const ROTATED_P24_CRC = '0badc0de0badc0de';
/** Razorpay's webhook secret and Flutterwave's secret hash, changed in the dashboard, not deployed yet. */
const ROTATED_RAZORPAY_SECRET = 'razorpay-webhook-secret-changed-in-the-dashboard';
const ROTATED_FLUTTERWAVE_HASH = 'flutterwave-secret-hash-changed-in-the-dashboard';

export interface TransportRates {
  /** Share of notifications delivered 2–5 times at once. */
  duplicate: number;
  /** Share whose first delivery is lost, so the broker's retry arrives after later messages. */
  reorder: number;
  /** Share followed by a forged copy claiming success. */
  forge: number;
}

export interface DeliveryRecord {
  /** base64 of the bytes as delivered, credentials masked as the message log does (faulty-store.ts). */
  key: string;
  status: number | null;
  forged: boolean;
}

export interface TransportCounts {
  notifications: number;
  duplicated: number;
  extraCopies: number;
  reordered: number;
  forged: number;
  /** Forgeries per broker. */
  forgedBy: Record<string, number>;
  tampered: number;
  /**
   * Notifications of the key-rotation window, per broker: PayU, Stripe, Przelewy24, Razorpay and
   * Flutterwave signed with a key the merchant has not configured yet; PayPal's IPNs (signed by
   * nothing) failing their postback.
   */
  rotatedKey: {
    payu: number;
    stripe: number;
    paypal: number;
    przelewy24: number;
    razorpay: number;
    flutterwave: number;
  };
  unreachable: number;
  answered5xx: number;
}

/**
 * The network between the brokers (the sandbox's server-to-server calls) and the merchant, with faults.
 * `deliver` reaches the merchant wherever it runs; a merchant that is down makes it throw, as fetch does.
 */
export function chaosTransport(options: {
  deliver: (request: Request) => Promise<Response>;
  random: Random;
  rates: TransportRates;
  /** PayU payments whose notifications PayU reports with another amount or currency. */
  tamperedPayments: ReadonlyMap<string, TamperMode>;
}) {
  const { random, rates } = options;
  const records: DeliveryRecord[] = [];
  const lostOnce = new Set<string>();
  const cmcicSeen = new Set<string>();
  const counts: TransportCounts = {
    notifications: 0,
    duplicated: 0,
    extraCopies: 0,
    reordered: 0,
    forged: 0,
    forgedBy: {},
    tampered: 0,
    rotatedKey: { payu: 0, stripe: 0, paypal: 0, przelewy24: 0, razorpay: 0, flutterwave: 0 },
    unreachable: 0,
    answered5xx: 0,
  };

  async function send(url: string, method: string, headers: Headers, body: Uint8Array, forged: boolean) {
    const key = deliveredKey(body);
    try {
      const response = await options.deliver(new Request(url, { method, headers, body: body as BodyInit }));
      const text = await response.text();
      records.push({ key, status: response.status, forged });
      if (response.status >= 500) counts.answered5xx++;
      return new Response(text, { status: response.status, headers: response.headers });
    } catch (error) {
      // The merchant was down (killed): the message never arrived, the broker sees a network error.
      counts.unreachable++;
      throw error;
    }
  }

  /**
   * The key-rotation window, for every broker that can be pulled: while open, PayU signs every
   * notification with a second key rotated in its back office, Stripe with an endpoint secret rolled
   * in its Dashboard, Przelewy24 with a regenerated CRC key, Razorpay with a changed webhook secret and
   * Flutterwave with a changed secret hash, none configured by the merchant yet: refused (4xx), they
   * stay in the broker's retry queue. PayPal signs nothing: its IPNs fail verification instead (the harness makes
   * the postback answer INVALID), are acknowledged and never sent again. The merchant pulls the
   * payments these messages name (verify-or-pull), and the reconcile pass after the run the rest.
   */
  const keyRotation = { open: false };

  async function handle(request: Request): Promise<Response> {
    const broker = brokerOfUrl(request.url);
    let body: Uint8Array = new Uint8Array(await request.arrayBuffer());
    const headers = new Headers(request.headers);
    if (broker === null) return send(request.url, request.method, headers, body, false);
    counts.notifications++;

    if (broker === 'payu') {
      const paymentId = payuPaymentId(body);
      const mode = paymentId ? options.tamperedPayments.get(paymentId) : undefined;
      const tampered = mode ? tamperPayu(body, PAYU_POS.secondKey, mode) : null;
      if (tampered) {
        counts.tampered++;
        body = tampered.body;
        headers.set('openpayu-signature', tampered.signature);
        headers.set('x-openpayu-signature', tampered.signature);
      }
    }

    if (keyRotation.open && broker === 'payu') {
      counts.rotatedKey.payu++;
      const signature = signPayu(body, ROTATED_SECOND_KEY);
      headers.set('openpayu-signature', signature);
      headers.set('x-openpayu-signature', signature);
    } else if (keyRotation.open && broker === 'stripe') {
      counts.rotatedKey.stripe++;
      headers.set(
        'stripe-signature',
        signStripe(headers.get('stripe-signature') ?? '', body, ROTATED_WEBHOOK_SECRET),
      );
    } else if (keyRotation.open && broker === 'paypal') {
      counts.rotatedKey.paypal++;
    } else if (keyRotation.open && broker === 'przelewy24') {
      const resigned = signP24(body, ROTATED_P24_CRC);
      if (resigned !== body) counts.rotatedKey.przelewy24++;
      body = resigned;
    } else if (keyRotation.open && broker === 'razorpay') {
      counts.rotatedKey.razorpay++;
      headers.set('x-razorpay-signature', signRazorpay(body, ROTATED_RAZORPAY_SECRET));
    } else if (keyRotation.open && broker === 'flutterwave') {
      counts.rotatedKey.flutterwave++;
      const rotated = flutterwaveHeaders(body, ROTATED_FLUTTERWAVE_HASH);
      headers.set('verif-hash', rotated.verifHash);
      headers.set('flutterwave-signature', rotated.signature);
    }

    const key = Buffer.from(body).toString('base64');
    let lastWord = false;
    if (broker === 'cmcic') {
      // CM-CIC retries a return once only (protocols/cmcic.md §4.4), and only after a failed attempt: a
      // return seen before is the bank's last word. The merchant's fault injector is told to spare it, or
      // two faults in a row (a lost first delivery or a SIGKILL, then a store failure) would lose the
      // message at the bank, which tests the bank's limit and not the pipeline.
      lastWord = cmcicSeen.has(key);
      if (lastWord) headers.set(FINAL_ATTEMPT_HEADER, '1');
      cmcicSeen.add(key);
    }
    if (!lostOnce.has(key) && !lastWord && random.chance(rates.reorder)) {
      lostOnce.add(key);
      counts.reordered++;
      throw new TypeError('fetch failed (chaos: delivery lost, the broker will retry after later messages)');
    }

    if (random.chance(rates.forge)) {
      counts.forged++;
      counts.forgedBy[broker] = (counts.forgedBy[broker] ?? 0) + 1;
      const forged = forge(broker, headers, body, random);
      await send(request.url, request.method, forged.headers, forged.body, true).catch(() => undefined);
    }

    const copies = random.chance(rates.duplicate) ? random.int(2, 5) : 1;
    if (copies > 1) {
      counts.duplicated++;
      counts.extraCopies += copies - 1;
    }
    const answers = await Promise.allSettled(
      Array.from({ length: copies }, () => send(request.url, request.method, headers, body, false)),
    );
    // The broker sees one answer: the first copy's (its connection); the others are the network's.
    const first = answers[0] as PromiseSettledResult<Response>;
    if (first.status === 'rejected') throw first.reason;
    return first.value;
  }

  return { handle, records, counts, keyRotation };
}
