import type { PaymentBackend } from './backend';
import type { RefundOptions } from './config';
import { isPaybridgeError, PaybridgeError } from './errors';
import { allPayments } from './lib/all-payments';
import { applyPaymentFacts } from './lib/apply-facts';
import { backendContext } from './lib/backend-context';
import { withBackendData } from './lib/broker-data';
import { randomId, sortableId, toHex, utf8 } from './lib/bytes';
import { currentShape } from './lib/current-shape';
import { deliverSafely, emitAnomaly } from './lib/delivery';
import { describeError } from './lib/describe-error';
import { MONEY_STATUSES } from './lib/ledger';
import { refundRequestOf, withRefundRequest } from './lib/refund-request';
import { getBackend, type Runtime } from './lib/runtime';
import { sha256 } from './lib/web-crypto';
import { assertMinorAmount } from './money';
import { canPull, pullPayment } from './reconcile';
import { applyFacts } from './status-machine';
import type { LedgerEntry, Payment, PaymentFact } from './types';

/** What an operation on the broker came back with (a backend's `OperationResult`, or facts of our own). */
interface OperationOutcome {
  facts: PaymentFact[];
  brokerData?: Record<string, unknown> | undefined;
  /** Where our own refund request stands after this operation (`refund`). */
  refundRequest?: { refundId: string; request: NonNullable<LedgerEntry['request']> } | undefined;
}

async function applyOperationFacts(
  runtime: Runtime,
  backend: PaymentBackend,
  payment: Payment,
  { facts, brokerData, refundRequest }: OperationOutcome,
): Promise<Payment> {
  const patch = (p: Payment) => {
    const merged = withBackendData(p, brokerData);
    return refundRequest ? withRefundRequest(merged, refundRequest.refundId, refundRequest.request) : merged;
  };
  const { result, anomalies } = await applyPaymentFacts(runtime, backend, {
    paymentId: payment.id,
    facts,
    patch: brokerData || refundRequest ? patch : undefined,
    expected: payment,
  });
  await deliverSafely(runtime, result.transitions);
  for (const anomaly of anomalies) await emitAnomaly(runtime, backend.id, anomaly, result.payment);
  return result.payment;
}

async function loadForOperation(runtime: Runtime, paymentId: string) {
  const stored = await runtime.store.getPayment(paymentId);
  if (!stored)
    throw new PaybridgeError('UNKNOWN_PAYMENT', `no payment "${paymentId}"`, { details: { paymentId } });
  const backend = getBackend(runtime, stored.backend);
  return { payment: currentShape(stored), backend };
}

function requireCapability(
  backend: PaymentBackend,
  capability: keyof PaymentBackend['capabilities'],
  has: boolean,
) {
  if (!backend.capabilities[capability] || !has) {
    throw new PaybridgeError(
      'CAPABILITY_NOT_SUPPORTED',
      `${backend.displayName} does not support ${capability}`,
      {
        details: { backend: backend.id, capability },
      },
    );
  }
}

export async function capture(runtime: Runtime, baseUrl: string, paymentId: string, amount?: number) {
  const { payment, backend } = await loadForOperation(runtime, paymentId);
  requireCapability(backend, 'capture', Boolean(backend.capture));
  if (payment.status !== 'authorized') {
    throw new PaybridgeError('INVALID_STATE', `cannot capture a ${payment.status} payment`, {
      details: { status: payment.status },
    });
  }
  const toCapture = amount === undefined ? payment.amountAuthorized : assertMinorAmount(amount);
  if (toCapture <= 0 || toCapture > payment.amountAuthorized) {
    throw new PaybridgeError('INVALID_AMOUNT', `capture must be between 1 and ${payment.amountAuthorized}`);
  }
  // Capturing less than the payment is a partial capture: only brokers that take one may be asked.
  if (toCapture !== payment.amount) requireCapability(backend, 'partialCapture', true);
  const result = await backend.capture!(payment, toCapture, backendContext(runtime, backend, baseUrl, null));
  return applyOperationFacts(runtime, backend, payment, result);
}

export async function cancel(runtime: Runtime, baseUrl: string, paymentId: string) {
  const { payment, backend } = await loadForOperation(runtime, paymentId);
  requireCapability(backend, 'cancel', Boolean(backend.cancel));
  if (!['new', 'pending', 'authorized'].includes(payment.status)) {
    throw new PaybridgeError('INVALID_STATE', `cannot cancel a ${payment.status} payment`, {
      details: { status: payment.status },
    });
  }
  const result = await backend.cancel!(payment, backendContext(runtime, backend, baseUrl, null));
  return applyOperationFacts(runtime, backend, payment, result);
}

/**
 * Record the refund as pending before the broker is asked, inside the store's compare-and-set:
 * a second click, a concurrent call or a retry after a lost answer then finds the money already
 * spoken for instead of refunding it twice.
 */
async function reserveRefund(
  runtime: Runtime,
  backend: PaymentBackend,
  { paymentId, refundId, amount }: { paymentId: string; refundId: string; amount: number },
): Promise<void> {
  const eventId = `${backend.id}:refund-request:${refundId}:${randomId('req', 8)}`;
  const result = await runtime.store.applyChange({
    paymentId,
    eventIds: [eventId],
    compute(stored) {
      const current = currentShape(stored);
      const refundable = refundableNow(current);
      if (amount > refundable) {
        throw new PaybridgeError(
          'INVALID_AMOUNT',
          `refund must be between 1 and the refundable ${refundable}`,
          {
            details: { refundable },
          },
        );
      }
      const now = runtime.now().toISOString();
      const applied = applyFacts(
        current,
        [{ type: 'refund_pending', eventId, refundId, amount, currency: current.currency }],
        { now, newId: () => sortableId('trn', 12) },
      );
      const next = withRefundRequest(applied.payment, refundId, 'requested');
      return {
        payment: { ...next, updatedAt: now, version: current.version + 1 },
        transitions: applied.transitions,
      };
    },
  });
  await deliverSafely(runtime, result.transitions, result.payment);
}

function refundableNow(payment: Payment): number {
  const pending = payment.refunds
    .filter((r) => r.status === 'pending' && r.kind === 'refund')
    .reduce((s, r) => s + r.amount, 0);
  return payment.amountPaid - payment.amountRefunded - pending;
}

export async function refund(
  runtime: Runtime,
  baseUrl: string,
  paymentId: string,
  options: RefundOptions = {},
) {
  const { payment, backend } = await loadForOperation(runtime, paymentId);
  requireCapability(backend, 'refund', Boolean(backend.refund));
  const refundId = options.idempotencyKey
    ? `rfd_${toHex(await sha256(utf8(`${payment.id}\u0000${options.idempotencyKey}`))).slice(0, 24)}`
    : randomId('rfd', 12);
  const recorded = payment.refunds.find((r) => r.id === refundId && r.kind === 'refund');
  // Reserved, but the broker's answer never came back: send the same refund (same id) again.
  const unconfirmed = recorded?.status === 'pending' && refundRequestOf(payment, refundId) === 'requested';
  // A retry of a refund the broker took (pending or done) is answered from the record.
  if (recorded && recorded.status !== 'failed' && !unconfirmed) return payment;
  let amount: number;
  if (unconfirmed && recorded) {
    amount = recorded.amount;
  } else {
    if (!MONEY_STATUSES.has(payment.status)) {
      throw new PaybridgeError('INVALID_STATE', `cannot refund a ${payment.status} payment`, {
        details: { status: payment.status },
      });
    }
    const refundable = refundableNow(payment);
    amount = options.amount === undefined ? refundable : assertMinorAmount(options.amount);
    if (amount <= 0 || amount > refundable) {
      throw new PaybridgeError(
        'INVALID_AMOUNT',
        `refund must be between 1 and the refundable ${refundable}`,
        {
          details: { refundable },
        },
      );
    }
    if (amount < refundable || payment.amountRefunded > 0) {
      requireCapability(backend, 'partialRefund', true);
    }
    await reserveRefund(runtime, backend, { paymentId: payment.id, refundId, amount });
  }
  let result: Awaited<ReturnType<NonNullable<PaymentBackend['refund']>>>;
  try {
    result = await backend.refund!(
      payment,
      { refundId, amount, ...(options.reason ? { reason: options.reason } : {}) },
      backendContext(runtime, backend, baseUrl, null),
    );
  } catch (error) {
    // The broker said no: nothing was refunded and the reserved amount is released. Any other
    // failure (timeout, 5xx) leaves the outcome unknown: the refund stays pending until the broker's
    // notification or a sync settles it, and the same idempotencyKey sends it again.
    if (isPaybridgeError(error) && error.code === 'BROKER_ERROR') {
      await applyOperationFacts(runtime, backend, payment, {
        facts: [
          { type: 'refund_failed', eventId: `refund-refused:${refundId}`, refundId, reason: error.message },
        ],
        refundRequest: { refundId, request: 'refused' },
      });
    }
    throw error;
  }
  return applyOperationFacts(runtime, backend, payment, {
    ...result,
    refundRequest: { refundId, request: 'accepted' },
  });
}

export async function sync(runtime: Runtime, baseUrl: string, paymentId: string) {
  const { payment, backend } = await loadForOperation(runtime, paymentId);
  requireCapability(backend, 'pull', Boolean(backend.fetchStatus));
  const facts = await backend.fetchStatus!(payment, backendContext(runtime, backend, baseUrl, null));
  return applyOperationFacts(runtime, backend, payment, { facts });
}

/**
 * Expire payments left new or pending past `expiresAt`. Returns how many were expired. Where the
 * backend can pull, the broker is asked first (issue 15): a payment it reports paid becomes paid and
 * is never expired; a payment it cannot be asked about now (broker down) is left for the next sweep.
 * Each payment is swept at most once (its sweep has a fixed event id): if the broker later says it
 * is pending again, the broker is the truth.
 */
export async function sweepExpired(runtime: Runtime): Promise<number> {
  const now = runtime.now().toISOString();
  // The whole list first, then the changes: expiring while paging would shift the pages under the cursor.
  const due: string[] = [];
  for (const status of ['new', 'pending'] as const) {
    const payments = await allPayments(runtime.store, { status, expiresBefore: now, limit: 200 });
    due.push(...payments.map((p) => p.id));
  }
  let count = 0;
  for (const paymentId of due) {
    let payment = await runtime.store.getPayment(paymentId);
    const backend = payment ? runtime.backends.get(payment.backend) : undefined;
    if (!payment || !backend) {
      runtime.logger.warn('cannot expire a payment of a backend that is not configured', {
        paymentId,
        backend: payment?.backend,
      });
      continue;
    }
    if (canPull(backend, payment)) {
      try {
        payment = (await pullPayment(runtime, backend, payment)).payment;
      } catch (error) {
        runtime.logger.warn('not expired: the broker could not be asked first; the next sweep asks again', {
          paymentId,
          backend: backend.id,
          error: describeError(error),
        });
        continue;
      }
      if (payment.status !== 'new' && payment.status !== 'pending') continue;
    }
    const { result } = await applyPaymentFacts(runtime, backend, {
      paymentId: payment.id,
      facts: [{ type: 'expired', eventId: `sweep:${payment.id}` }],
    });
    if (result.outcome === 'applied' && result.payment.status === 'expired') count++;
    await deliverSafely(runtime, result.transitions);
  }
  return count;
}
