import type { PaybridgeEventName, PaybridgeEvents } from '../events';
import type { Anomaly, Payment, Transition } from '../types';
import { describeError } from './describe-error';
import type { Runtime } from './runtime';

/**
 * Events owed to the merchant's listeners. They run after the commit that owes them and never
 * change it: a listener that fails is the outbox's to retry (`drainOutbox`), not the caller's error.
 */

/** Deliver the events owed by committed transitions, then mark them delivered (the outbox). */
export async function deliverTransitions(
  runtime: Runtime,
  transitions: readonly Transition[],
  /** The payment as the change that made these transitions committed it: its events carry it without a read. */
  committed?: Payment | null,
): Promise<void> {
  // A slow listener must not have this instance's own outbox drain deliver the same events again.
  const mine = transitions.filter((t) => !runtime.delivering.has(t.id));
  if (mine.length === 0) return;
  for (const t of mine) runtime.delivering.add(t.id);
  try {
    const payments = new Map<string, Payment | null>(committed ? [[committed.id, committed]] : []);
    for (const transition of mine) {
      if (!payments.has(transition.paymentId)) {
        payments.set(transition.paymentId, await runtime.store.getPayment(transition.paymentId));
      }
      const payment = payments.get(transition.paymentId);
      if (!payment) continue;
      for (const effect of transition.effects) {
        await emitEffect(runtime, payment, transition, effect);
      }
    }
    await runtime.store.markTransitionsEmitted(mine.map((t) => t.id));
  } finally {
    for (const t of mine) runtime.delivering.delete(t.id);
  }
}

/**
 * `deliverTransitions` for a caller whose change is already committed and answered: a failure is
 * logged and left to the outbox (the transitions stay unmarked), never thrown into the caller.
 */
export async function deliverSafely(
  runtime: Runtime,
  transitions: readonly Transition[],
  committed?: Payment | null,
): Promise<void> {
  try {
    await deliverTransitions(runtime, transitions, committed);
  } catch (error) {
    runtime.logger.error('could not deliver events', { error: describeError(error) });
  }
}

async function emitEffect(
  runtime: Runtime,
  payment: Payment,
  transition: Transition,
  effect: Transition['effects'][number],
): Promise<void> {
  const emit = <E extends PaybridgeEventName>(event: E, payload: PaybridgeEvents[E]) =>
    runtime.emitter.emit(event, payload);
  switch (effect.event) {
    case 'payment.created':
      return emit('payment.created', { payment });
    case 'payment.statusChanged':
      return emit('payment.statusChanged', { payment, from: transition.from, to: transition.to, transition });
    case 'payment.accepted':
      return emit('payment.accepted', { payment, transition });
    case 'payment.declined':
      return emit('payment.declined', { payment, transition, reason: effect.reason ?? null });
    case 'payment.pending':
      return emit('payment.pending', { payment, transition });
    case 'payment.authorized':
      return emit('payment.authorized', { payment, transition });
    case 'payment.expired':
      return emit('payment.expired', { payment, transition });
    case 'refund.pending':
    case 'refund.succeeded':
    case 'refund.failed': {
      const refund = payment.refunds.find((r) => r.id === effect.refundId);
      if (refund) await emit(effect.event, { payment, refund });
      return;
    }
    default: {
      if (effect.event.startsWith('subscription.') && payment.subscription) {
        const name = effect.event as Exclude<
          Extract<PaybridgeEventName, `subscription.${string}`>,
          'subscription.payment'
        >;
        await emit(name, { payment, subscription: payment.subscription });
        return;
      }
      if (effect.event === 'subscription.payment' && payment.parentPaymentId && payment.subscription) {
        await emit('subscription.payment', {
          payment,
          subscription: payment.subscription,
          parentPaymentId: payment.parentPaymentId,
        });
        return;
      }
      runtime.logger.warn('unknown transition effect', { event: effect.event });
    }
  }
}

export async function emitAnomaly(
  runtime: Runtime,
  backend: string,
  anomaly: Anomaly,
  payment: Payment | null,
): Promise<void> {
  runtime.logger.warn('payment anomaly', {
    backend,
    code: anomaly.code,
    message: anomaly.message,
    paymentId: anomaly.paymentId,
  });
  await runtime.emitter.emit('payment.anomaly', { payment, backend, anomaly });
}
