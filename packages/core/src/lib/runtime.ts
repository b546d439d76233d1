import type { BackendContext, NotificationContext, PaymentBackend } from '../backend';
import type { PaybridgeConfig } from '../config';
import { PaybridgeError } from '../errors';
import type { PaybridgeEventName, PaybridgeEvents } from '../events';
import type { Logger } from '../logger';
import { applyFacts } from '../status-machine';
import type { ApplyChangeResult, PaymentStore } from '../store';
import type { Anomaly, Payment, PaymentFact, Transition } from '../types';
import { sortableId } from './bytes';
import type { Emitter } from './emitter';
import { createOutboundFetch } from './outbound';
import type { PullLimiter } from './pull-limiter';
import type { createRedactor } from './redact';

/** Everything the bridge's operations share; built once by `createPaybridge`. */
export interface Runtime {
  config: PaybridgeConfig;
  store: PaymentStore;
  logger: Logger;
  emitter: Emitter;
  redactor: ReturnType<typeof createRedactor>;
  backends: ReadonlyMap<string, PaymentBackend>;
  now(): Date;
  maxBodyBytes: number;
  paymentTtlSeconds: number;
  outboundTimeoutMs: number;
  isTrustedProxy(ip: string): boolean;
  /** Transitions whose events this instance is delivering right now (its own outbox drain skips them). */
  delivering: Set<string>;
  /** Broker pulls that unauthenticated requests set off: one per payment per interval. */
  pullLimiter: PullLimiter;
  /** Bytes of an unverified body kept in the message log. */
  logBodyLimitBytes: number;
  /** Lifetime of a button that sets no `expiresAt` (null: never expires). */
  buttonTtlSeconds: number | null;
}

export function getBackend(runtime: Runtime, id: string): PaymentBackend {
  const backend = runtime.backends.get(id);
  if (!backend)
    throw new PaybridgeError('UNKNOWN_BACKEND', `no backend "${id}"`, { details: { backend: id } });
  return backend;
}

export function resolveTestMode(runtime: Runtime, backend: PaymentBackend): boolean {
  return backend.testMode ?? runtime.config.testMode ?? false;
}

export function resolveEndpoint(runtime: Runtime, backend: PaymentBackend): string {
  const endpoint =
    backend.endpoint ?? (resolveTestMode(runtime, backend) ? backend.endpoints.test : backend.endpoints.live);
  return endpoint.replace(/\/+$/, '');
}

export function backendContext(
  runtime: Runtime,
  backend: PaymentBackend,
  baseUrl: string,
  clientIp: string | null,
): NotificationContext {
  const ctx: BackendContext = {
    testMode: resolveTestMode(runtime, backend),
    endpoint: resolveEndpoint(runtime, backend),
    baseUrl,
    notifyUrl: `${baseUrl}/notify/${encodeURIComponent(backend.id)}`,
    returnUrl(paymentId, params) {
      const url = `${baseUrl}/return/${encodeURIComponent(backend.id)}/${encodeURIComponent(paymentId)}`;
      const query = params ? new URLSearchParams(params).toString() : '';
      return query ? `${url}?${query}` : url;
    },
    clientIp,
    fetch: createOutboundFetch(runtime, backend.id),
    now: runtime.now,
    logger: runtime.logger,
  };
  return {
    ...ctx,
    getPayment: (id) => runtime.store.getPayment(id),
    findPaymentByExternalId: (externalId) => runtime.store.findPaymentByExternalId(backend.id, externalId),
  };
}

export function publicBaseUrl(runtime: Runtime): string {
  if (!runtime.config.baseUrl) {
    throw new PaybridgeError('INVALID_CONFIG', 'baseUrl is required to call this outside a request');
  }
  return runtime.config.baseUrl.replace(/\/+$/, '');
}

export interface AppliedFacts {
  result: ApplyChangeResult;
  anomalies: Anomaly[];
  /** Facts left unapplied because they are about another transaction than the bound one (binding). */
  otherAttempts: string[];
}

/** Run facts through the status machine and the store's claim + compare-and-set, exactly once per event id. */
export async function applyPaymentFacts(
  runtime: Runtime,
  backend: PaymentBackend,
  paymentId: string,
  facts: readonly PaymentFact[],
  patch?: (payment: Payment) => Payment,
  /** The payment as the store last handed it to us, when we hold it (`ApplyChangeRequest.expected`). */
  expected?: Payment,
): Promise<AppliedFacts> {
  const eventKey = (fact: PaymentFact) => `${backend.id}:${fact.eventId}`;
  let anomalies: Anomaly[] = [];
  let otherAttempts: string[] = [];
  const result = await runtime.store.applyChange({
    paymentId,
    eventIds: [...new Set(facts.map(eventKey))],
    ...(expected ? { expected } : {}),
    compute(current, fresh) {
      const now = runtime.now().toISOString();
      const freshFacts = facts.filter((fact) => fresh.has(eventKey(fact)));
      // The patch first: an id it stores (an externalId) is what the facts' binding check compares with.
      const base = patch ? patch(current) : current;
      const applied = applyFacts(base, freshFacts, { now, newId: () => sortableId('trn', 12) });
      anomalies = applied.anomalies;
      otherAttempts = applied.outcomes.flatMap((o) => (o.otherAttempt && o.note ? [o.note] : []));
      const next = applied.payment;
      if (next === current) return null;
      return {
        payment: { ...next, updatedAt: now, version: current.version + 1 },
        transitions: applied.transitions,
      };
    },
  });
  if (result.outcome === 'duplicate') return { result, anomalies: [], otherAttempts: [] };
  for (const note of otherAttempts) {
    runtime.logger.info('fact of another transaction not applied', { backend: backend.id, paymentId, note });
  }
  return { result, anomalies, otherAttempts };
}

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
