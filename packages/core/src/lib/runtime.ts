import type { BackendContext, NotificationContext, PaymentBackend } from '../backend';
import type { PaybridgeConfig } from '../config';
import { PaybridgeError } from '../errors';
import type { Logger } from '../logger';
import { applyFacts } from '../status-machine';
import type { ApplyChangeResult, PaymentStore } from '../store';
import type { Anomaly, Payment, PaymentFact } from '../types';
import { sortableId } from './bytes';
import { currentShape } from './current-shape';
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
  const shaped = (payment: Payment | null) => payment && currentShape(payment);
  return {
    ...ctx,
    getPayment: async (id) => shaped(await runtime.store.getPayment(id)),
    findPaymentByExternalId: async (externalId) =>
      shaped(await runtime.store.findPaymentByExternalId(backend.id, externalId)),
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

/** Facts about one payment, and what else changes with them. */
export interface PaymentFactsChange {
  paymentId: string;
  facts: readonly PaymentFact[];
  /** A change beside the facts (an externalId, brokerData), made before they are applied. */
  patch?: ((payment: Payment) => Payment) | undefined;
  /** The payment as the store last handed it to us, when we hold it (`ApplyChangeRequest.expected`). */
  expected?: Payment | undefined;
}

/** Run facts through the status machine and the store's claim + compare-and-set, exactly once per event id. */
export async function applyPaymentFacts(
  runtime: Runtime,
  backend: PaymentBackend,
  { paymentId, facts, patch, expected }: PaymentFactsChange,
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
      // A record of the previous version is written back in this version's shape, with a change only.
      const stored = currentShape(current);
      // The patch first: an id it stores (an externalId) is what the facts' binding check compares with.
      const base = patch ? patch(stored) : stored;
      const applied = applyFacts(base, freshFacts, { now, newId: () => sortableId('trn', 12) });
      anomalies = applied.anomalies;
      otherAttempts = applied.outcomes.flatMap((o) => (o.otherAttempt && o.note ? [o.note] : []));
      const next = applied.payment;
      if (next === stored) return null;
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
