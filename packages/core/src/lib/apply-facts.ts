import type { PaymentBackend } from '../backend';
import { applyFacts } from '../status-machine';
import type { ApplyChangeResult } from '../store';
import type { Anomaly, Payment, PaymentFact } from '../types';
import { sortableId } from './bytes';
import { currentShape } from './current-shape';
import type { Runtime } from './runtime';

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
