import { PaybridgeError } from './errors';
import {
  type ApplyChangeRequest,
  type ApplyChangeResult,
  type GatewayMessage,
  type GatewayMessagePatch,
  hasOpenRefund,
  type MessageQuery,
  type NewGatewayMessage,
  type Page,
  type PaymentQuery,
  type PaymentStore,
} from './store';
import type { Payment, Transition } from './types';

const clone = <T>(value: T): T => structuredClone(value);

function page<T>(items: T[], limit: number | undefined, cursor: string | undefined): Page<T> {
  const size = Math.min(Math.max(limit ?? 50, 1), 500);
  const start = cursor ? Number(cursor) : 0;
  const slice = items.slice(start, start + size);
  return { items: slice, nextCursor: start + size < items.length ? String(start + size) : null };
}

/**
 * An in-memory store for tests and demos: everything is lost on restart. Changes are serialized
 * through one queue, which makes claim-then-compare-and-set atomic within the process.
 */
export function memoryStore(): PaymentStore {
  const payments = new Map<string, Payment>();
  const byExternalId = new Map<string, string>();
  const transitions: Transition[] = [];
  const emitted = new Set<string>();
  const claims = new Map<string, number>();
  const eventIds = new Set<string>();
  const messages: GatewayMessage[] = [];
  let messageSeq = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const serialized = <T>(fn: () => T): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const indexExternal = (payment: Payment) => {
    if (payment.externalId) byExternalId.set(`${payment.backend}\u0000${payment.externalId}`, payment.id);
  };

  return {
    name: 'memory',

    createPayment(payment, transition) {
      return serialized(() => {
        if (payments.has(payment.id)) {
          throw new PaybridgeError('CONFLICT', `payment ${payment.id} already exists`);
        }
        payments.set(payment.id, clone(payment));
        indexExternal(payment);
        transitions.push(clone(transition));
      });
    },

    async getPayment(id) {
      const payment = payments.get(id);
      return payment ? clone(payment) : null;
    },

    async findPaymentByExternalId(backend, externalId) {
      const id = byExternalId.get(`${backend}\u0000${externalId}`);
      const payment = id ? payments.get(id) : undefined;
      return payment ? clone(payment) : null;
    },

    async listPayments(query: PaymentQuery) {
      const items = [...payments.values()]
        .filter(
          (p) =>
            (!query.orderId || p.orderId === query.orderId) &&
            (!query.backend || p.backend === query.backend) &&
            (!query.status || p.status === query.status) &&
            (!query.expiresBefore || (p.expiresAt !== null && p.expiresAt < query.expiresBefore)) &&
            (!query.createdBefore || p.createdAt < query.createdBefore) &&
            (!query.refundOpen || hasOpenRefund(p)),
        )
        .sort((a, b) =>
          a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
        )
        .map(clone);
      return page(items, query.limit, query.cursor);
    },

    applyChange(request: ApplyChangeRequest): Promise<ApplyChangeResult> {
      return serialized(() => {
        const current = payments.get(request.paymentId);
        if (!current) throw new PaybridgeError('UNKNOWN_PAYMENT', `no payment ${request.paymentId}`);
        const fresh = new Set(request.eventIds.filter((id) => !eventIds.has(id)));
        if (request.eventIds.length > 0 && fresh.size === 0) {
          return { outcome: 'duplicate' as const, payment: clone(current), transitions: [] };
        }
        const change = request.compute(clone(current), fresh);
        // Refused changes claim nothing: the same facts must still apply when delivered again.
        if (change && (change.payment.version !== current.version + 1 || change.payment.id !== current.id)) {
          throw new PaybridgeError('CONFLICT', 'a change must bump the version by one');
        }
        for (const id of fresh) eventIds.add(id);
        if (!change) return { outcome: 'unchanged' as const, payment: clone(current), transitions: [] };
        payments.set(current.id, clone(change.payment));
        indexExternal(change.payment);
        transitions.push(...change.transitions.map(clone));
        return {
          outcome: 'applied' as const,
          payment: clone(change.payment),
          transitions: clone(change.transitions),
        };
      });
    },

    async listTransitions(paymentId) {
      return transitions.filter((t) => t.paymentId === paymentId).map(clone);
    },

    claimUnemittedTransitions(limit, { now, leaseMs }) {
      return serialized(() => {
        const at = Date.parse(now);
        const batch = transitions
          .filter(
            (t) => !emitted.has(t.id) && Date.parse(t.at) <= at - leaseMs && (claims.get(t.id) ?? 0) <= at,
          )
          .slice(0, limit);
        for (const t of batch) claims.set(t.id, at + leaseMs);
        return batch.map(clone);
      });
    },

    async markTransitionsEmitted(ids) {
      for (const id of ids) emitted.add(id);
    },

    async appendMessage(message: NewGatewayMessage) {
      const now = message.createdAt ?? new Date().toISOString();
      const stored: GatewayMessage = {
        verdict: null,
        outcome: null,
        responseStatus: null,
        responseBody: null,
        detail: null,
        durationMs: null,
        paymentId: null,
        ...message,
        id: `msg_${String(++messageSeq).padStart(10, '0')}`,
        createdAt: now,
        updatedAt: now,
      };
      messages.push(stored);
      return clone(stored);
    },

    async updateMessage(id, patch: GatewayMessagePatch) {
      const message = messages.find((m) => m.id === id);
      if (!message) throw new PaybridgeError('NOT_FOUND', `no message ${id}`);
      Object.assign(message, patch, { updatedAt: new Date().toISOString() });
    },

    async listMessages(query: MessageQuery) {
      const items = messages
        .filter(
          (m) =>
            (!query.paymentId || m.paymentId === query.paymentId) &&
            (!query.backend || m.backend === query.backend) &&
            (!query.direction || m.direction === query.direction),
        )
        .reverse()
        .map(clone);
      return page(items, query.limit, query.cursor);
    },
  } satisfies PaymentStore;
}
