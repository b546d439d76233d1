import type { NotificationUpdate, PaymentBackend } from '../backend';
import { isPaybridgeError } from '../errors';
import type { Anomaly, Payment, PaymentFact, Transition } from '../types';
import { applyPaymentFacts } from './apply-facts';
import type { backendContext } from './backend-context';
import { boundSubscriptionId } from './binding';
import { toHex, utf8 } from './bytes';
import { creationTransition, newPayment } from './new-payment';
import type { Runtime } from './runtime';
import { sha256 } from './web-crypto';

/** What one verified update of a notification did. */
export interface UpdateResult {
  payment: Payment | null;
  outcome: 'applied' | 'unchanged' | 'duplicate' | 'anomaly';
  transitions: Transition[];
  anomalies: Anomaly[];
  /** The facts as applied (each naming the update's transaction). */
  facts: PaymentFact[];
  /** Facts about another transaction than the bound one, left unapplied (binding, DESIGN §6). */
  otherAttempts: string[];
}

/** Deterministic id of a subscription renewal payment, so redelivery finds the same child. */
async function childPaymentId(parentId: string, key: string): Promise<string> {
  const hash = toHex(await sha256(utf8(`${parentId}\u0000${key}`)));
  return `pay_${hash.slice(0, 26)}`;
}

/** Apply one verified update: find (or create, for a renewal) the payment, pull if asked, claim + compare-and-set. */
export async function applyUpdate(
  { runtime, backend }: { runtime: Runtime; backend: PaymentBackend },
  update: NotificationUpdate,
  ctx: ReturnType<typeof backendContext>,
  /** The payment as the backend just read it while verifying this message, when it did. */
  known?: Payment,
): Promise<UpdateResult> {
  let payment = known ?? (await runtime.store.getPayment(update.paymentId));
  if (!payment || payment.backend !== backend.id) {
    return {
      payment: null,
      outcome: 'anomaly',
      transitions: [],
      anomalies: [
        {
          code: 'UNKNOWN_PAYMENT',
          message: `no ${backend.id} payment ${update.paymentId}`,
          paymentId: update.paymentId,
        },
      ],
      facts: update.facts,
      otherAttempts: [],
    };
  }
  const created: Transition[] = [];
  if (update.child) {
    const parent = payment;
    const refusal = renewalRefusal(parent, update.child.subscriptionId);
    if (refusal) {
      return {
        payment: parent,
        outcome: 'anomaly',
        transitions: [],
        anomalies: [refusal],
        facts: update.facts,
        otherAttempts: [],
      };
    }
    const id = await childPaymentId(parent.id, update.child.key);
    let child = await runtime.store.getPayment(id);
    if (!child) {
      child = newPayment(
        {
          ...parent,
          id,
          amount: update.child.amount,
          currency: update.child.currency,
          externalId: update.child.externalId ?? null,
          description: update.child.description ?? parent.description,
          parentPaymentId: parent.id,
          expiresAt: null,
        },
        runtime.now().toISOString(),
      );
      const transition = creationTransition(child, `trn_${id.slice(4)}_created`, [
        { event: 'payment.created' },
        { event: 'subscription.payment' },
      ]);
      try {
        await runtime.store.createPayment(child, transition);
        created.push(transition);
      } catch (error) {
        // Another instance created it at the same moment: use theirs.
        if (!(isPaybridgeError(error) && error.code === 'CONFLICT')) throw error;
        child = await runtime.store.getPayment(id);
        if (!child) throw error;
      }
    }
    payment = child;
  }

  const transactionId = update.transactionId;
  let facts: PaymentFact[] = transactionId
    ? update.facts.map((fact) => (fact.transactionId === undefined ? { ...fact, transactionId } : fact))
    : update.facts;
  // A pull asks about the payment's own (bound) transaction: its facts carry no other one.
  if (update.pull && backend.fetchStatus) {
    facts = [...facts, ...(await backend.fetchStatus(payment, ctx))];
  }
  const externalId = update.externalId;
  const { result, anomalies, otherAttempts } = await applyPaymentFacts(runtime, backend, {
    paymentId: payment.id,
    facts,
    patch: externalId ? (p) => (p.externalId ? p : { ...p, externalId }) : undefined,
    expected: payment,
  });
  return {
    payment: result.payment,
    outcome: anomalies.length && result.outcome !== 'applied' ? 'anomaly' : result.outcome,
    transitions: [...created, ...result.transitions],
    anomalies,
    facts,
    otherAttempts,
  };
}

/** A renewal of another subscription than the one the parent is bound to creates nothing (binding, DESIGN §6). */
function renewalRefusal(parent: Payment, subscriptionId: string | undefined): Anomaly | null {
  const bound = boundSubscriptionId(parent);
  if (subscriptionId === undefined || bound === null || bound === subscriptionId) return null;
  return {
    code: 'OTHER_TRANSACTION',
    message: `renewal of subscription ${subscriptionId} not credited: ${parent.id} is bound to subscription ${bound}`,
    paymentId: parent.id,
  };
}
