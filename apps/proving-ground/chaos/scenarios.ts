import type { PaymentStatus } from '@paybridge/core';
import type { Sandbox } from '@paybridge/sandbox';
import type { BrokerId } from './brokers';
import type { TamperMode } from './forgery';
import type { Random } from './random';

/** What the buyer and the merchant do with one payment, and the status the broker's final word implies. */
export type ScenarioKind =
  | 'pay'
  | 'decline'
  | 'capture'
  | 'refund'
  | 'pending-then-paid'
  | 'retry-card'
  | 'cancel'
  | 'three-d-secure'
  | 'tamper';

export interface Scenario {
  index: number;
  broker: BrokerId;
  kind: ScenarioKind;
  paymentId: string;
  session: string;
  /** For `tamper`: what the broker reports differently. */
  tamper?: TamperMode;
  /** The payment's final notification was lost (the broker gave up on it): only a pull can tell. */
  lost?: boolean;
  /** Flutterwave: the merchant's refund is made, then its answer is lost (the sandbox's fault). */
  refundAnswerLost?: boolean;
}

/**
 * Brokers whose backend can pull in the chaos merchant: a lost notification is recovered by the
 * reconcile pass after the run. PayPal pulls with its NVP API credentials (configured here); CM-CIC
 * has no status inquiry at all (protocols/cmcic-api.md), so its lost payments stay unknown to the shop.
 */
export const PULLS: Record<BrokerId, boolean> = {
  payu: true,
  paypal: true,
  cmcic: false,
  stripe: true,
  // Przelewy24 pulls by session id and verifies what it finds (protocols/przelewy24.md).
  przelewy24: true,
  // Razorpay: the bound Payment Link, its order's payments and their refunds (protocols/razorpay.md §6.4).
  razorpay: true,
  // Flutterwave: verify_by_reference with our tx_ref, then each pending refund (protocols/flutterwave.md §6).
  flutterwave: true,
};

const WEIGHTS: Record<BrokerId, Array<[ScenarioKind, number]>> = {
  payu: [
    ['pay', 60],
    ['decline', 15],
    ['capture', 12],
    ['refund', 13],
  ],
  paypal: [
    ['pay', 60],
    ['decline', 15],
    ['pending-then-paid', 12],
    ['refund', 13],
  ],
  // Tampered money is drawn apart (see the harness). CM-CIC's return is sealed with the merchant's key over every field, amount included: a buyer cannot
  // tamper with it and the bank never reports another amount, so there is no tamper scenario here.
  cmcic: [
    ['pay', 60],
    ['decline', 15],
    ['retry-card', 15],
    ['cancel', 10],
  ],
  stripe: [
    ['pay', 60],
    ['decline', 15],
    ['three-d-secure', 10],
    ['refund', 15],
  ],
  // BLIK on P24's page: paid, declined, or the buyer leaves (`cancel`); the merchant refunds some.
  przelewy24: [
    ['pay', 60],
    ['decline', 12],
    ['cancel', 10],
    ['refund', 18],
  ],
  // A Payment Link paid, declined (the link stays payable) or left by the buyer; the merchant refunds some.
  razorpay: [
    ['pay', 60],
    ['decline', 12],
    ['cancel', 10],
    ['refund', 18],
  ],
  // Flutterwave Standard: paid, a refused card (the page lets the buyer try again), cancelled; refunds.
  flutterwave: [
    ['pay', 60],
    ['decline', 12],
    ['cancel', 10],
    ['refund', 18],
  ],
};

export function pickScenario(broker: BrokerId, random: Random): ScenarioKind {
  const weights = WEIGHTS[broker];
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [kind, weight] of weights) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return 'pay';
}

/** The final statuses each scenario allows, against the broker's final word. */
export function expectedStatuses(
  scenario: Pick<Scenario, 'broker' | 'kind' | 'lost'>,
): readonly PaymentStatus[] {
  // A lost final notification of a broker that cannot be pulled: the shop never learns of the money
  // (it stays payable until it expires); the merchant must look in the broker's back office.
  if (scenario.lost && !PULLS[scenario.broker]) return ['new'];
  switch (scenario.kind) {
    case 'pay':
    case 'capture':
    case 'pending-then-paid':
    case 'retry-card':
    case 'three-d-secure':
      return ['paid'];
    case 'refund':
      return ['refunded'];
    case 'decline':
      // A refusal never ends a payment that money has not bound to the refused attempt (binding,
      // DESIGN §6): a CM-CIC refusal is one card attempt among up to 4 per reference; a PayPal one
      // cannot be told from a stranger's checkout naming the same invoice. The payment stays payable
      // until paid or expired: pending after PayPal's Pending IPN, new when that IPN could not be
      // verified (the key-rotation window) and the pull found only the Denied transaction.
      // P24 sends nothing about a declined BLIK code: the transaction stays open, the payment new.
      // Flutterwave's failed charge leaves the hosted page open for another try: the payment stays new.
      if (
        scenario.broker === 'cmcic' ||
        scenario.broker === 'przelewy24' ||
        scenario.broker === 'flutterwave'
      )
        return ['new'];
      // Razorpay's failed payment leaves the link payable; never paid, it expires after its lifetime
      // (24 h, passed by the five simulated days): `expired` is Razorpay's final word for it.
      if (scenario.broker === 'razorpay') return ['expired'];
      // PayU's CANCELED order and Stripe's `payment_intent.payment_failed` end the payment.
      return scenario.broker === 'paypal' ? ['pending', 'new'] : ['failed'];
    case 'cancel':
      // The buyer left: nothing happened at the broker. A Razorpay link left unpaid expires (above).
      return scenario.broker === 'razorpay' ? ['expired'] : ['new'];
    case 'tamper':
      // The chaos network (PayU) or PayPal's IPN reports other money, but the broker's API, its final
      // word, reports what the buyer really paid: the tampered messages are refused as anomalies, and
      // the reconcile pass after the run makes the payment paid in full. The tampered money itself
      // must never be counted (checks.ts).
      return ['paid'];
  }
}

const CARDS = { accepted: '4000000000000002', refused: '4000000000000010' };
/** Stripe's test cards (protocols/stripe.md): success, generic decline, 3-D Secure required. */
const STRIPE_CARDS = {
  accepted: '4242424242424242',
  declined: '4000000000000002',
  threeDs: '4000002500003155',
};

/** The buyer's click on the hosted page (step 1; server-to-server calls are scheduled, not delivered). */
export async function buyerActs(sandbox: Sandbox, scenario: Scenario): Promise<void> {
  const { broker, kind, session } = scenario;
  if (broker === 'payu') {
    const action = kind === 'decline' ? 'decline' : kind === 'capture' ? 'pay_wfc' : 'pay';
    await sandbox.payu.act(session, action);
  } else if (broker === 'paypal') {
    const action = kind === 'decline' ? 'deny' : kind === 'pending-then-paid' ? 'pending' : 'pay';
    // A genuine IPN for other money (PayPal reports what the buyer really paid): protocols/paypal.md §6.
    if (kind === 'tamper') {
      sandbox.paypal.faults.tamper =
        scenario.tamper === 'currency' ? { mc_currency: 'USD' } : { mc_gross: '9.99' };
    }
    try {
      await sandbox.paypal.act(session, action);
    } finally {
      delete sandbox.paypal.faults.tamper;
    }
  } else if (broker === 'stripe') {
    const card =
      kind === 'decline'
        ? STRIPE_CARDS.declined
        : kind === 'three-d-secure'
          ? STRIPE_CARDS.threeDs
          : STRIPE_CARDS.accepted;
    sandbox.stripe.act(session, { card });
    if (kind === 'three-d-secure') sandbox.stripe.act(session, { authenticate: 'complete' });
  } else if (broker === 'przelewy24') {
    sandbox.przelewy24.act(session, kind === 'decline' ? 'decline' : kind === 'cancel' ? 'abandon' : 'pay');
  } else if (broker === 'razorpay') {
    sandbox.razorpay.act(session, kind === 'decline' ? 'decline' : kind === 'cancel' ? 'abandon' : 'pay');
  } else if (broker === 'flutterwave') {
    sandbox.flutterwave.act(session, kind === 'decline' ? 'decline' : kind === 'cancel' ? 'cancel' : 'pay');
  } else if (kind === 'cancel') {
    await sandbox.cmcic.act(session, 'cancel');
  } else {
    const card = kind === 'decline' || kind === 'retry-card' ? CARDS.refused : CARDS.accepted;
    await sandbox.cmcic.act(session, 'pay', { card, cvv: '123' });
    if (kind === 'retry-card') await sandbox.cmcic.act(session, 'pay', { card: CARDS.accepted, cvv: '123' });
  }
}

/** The broker's side of step 2 (after the first notifications): PayPal clears or refunds. */
export function brokerFollowUp(sandbox: Sandbox, scenario: Scenario): void {
  if (scenario.broker !== 'paypal') return;
  const txn = sandbox.paypal
    .transactions()
    .find((t) => t.invoice === scenario.paymentId && !t.parentTxnId && t.kind === 'payment');
  if (!txn) throw new Error(`chaos: no PayPal transaction for ${scenario.paymentId}`);
  if (scenario.kind === 'pending-then-paid') sandbox.paypal.completePending(txn.txnId);
  if (scenario.kind === 'refund') sandbox.paypal.refund(txn.txnId);
}

/** Brokers whose refunds the merchant asks for from its back office (PayU's too, beside captures). */
const MERCHANT_REFUNDS = new Set<BrokerId>(['stripe', 'przelewy24', 'razorpay', 'flutterwave']);

/** The merchant's back-office operation of step 2, if any. */
export function merchantOperation(scenario: Scenario): 'capture' | 'refund' | null {
  if (MERCHANT_REFUNDS.has(scenario.broker)) return scenario.kind === 'refund' ? 'refund' : null;
  if (scenario.broker !== 'payu') return null;
  if (scenario.kind === 'capture') return 'capture';
  if (scenario.kind === 'refund') return 'refund';
  return null;
}
